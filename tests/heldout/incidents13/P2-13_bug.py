import math

import torch
import torch.nn.functional as F
from torch import nn


class RWConfig:
    hidden_size = 32
    n_head = 4
    vocab_size = 60


def _make_causal_mask(input_ids_shape, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool)
    seq_ids = torch.arange(target_length)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    return mask[None, None].expand(batch_size, 1, target_length, -1)


def _expand_mask(mask, tgt_length):
    batch_size, src_length = mask.shape
    return (~(mask[:, None, None, :].bool())).expand(batch_size, 1, tgt_length, src_length)


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.hidden_size // config.n_head
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)

    def forward(self, hidden_states, attention_mask):
        b, q_len, _ = hidden_states.shape
        fused = self.query_key_value(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim)
        query_layer, key_layer, value_layer = fused.permute(2, 0, 3, 1, 4)
        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(torch.bfloat16)  # BUG
        attn_output = F.scaled_dot_product_attention(query_layer, key_layer, value_layer, None, 0.0, is_causal=True)  # BUG
        attn_output = attn_output.transpose(1, 2).reshape(b, q_len, -1)
        return self.dense(attn_output)


class RWModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList([Attention(config) for _ in range(2)])
        self.ln_f = nn.LayerNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask):
        causal_mask = _make_causal_mask(input_ids.shape) | _expand_mask(attention_mask, input_ids.shape[1])
        hidden = self.word_embeddings(input_ids)
        for block in self.h:
            hidden = hidden + block(hidden, causal_mask)
        return self.lm_head(self.ln_f(hidden))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RWModel(RWConfig()).eval()
    prompt = torch.tensor([[7, 19, 3, 44, 8]])
    left_padded = torch.cat([torch.full((1, 3), 11), prompt], dim=1)
    mask_padded = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        alone = model(prompt, torch.ones_like(prompt))[0, -1]
        padded = model(left_padded, mask_padded)[0, -1]
    print(f"next-token logits: |left-padded - unpadded| = {(padded - alone).abs().max().item():.4f}")
