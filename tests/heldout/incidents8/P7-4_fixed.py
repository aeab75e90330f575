import math

import torch
import torch.nn.functional as F
from torch import nn


class FalconConfig:
    hidden_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2
    vocab_size = 128


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, dtype):
    bsz, tgt_len = input_shape
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_dtype, dtype=dtype).triu(1)
    causal = causal[None, None].expand(bsz, 1, tgt_len, tgt_len).clone()
    padding = attention_mask[:, None, None, :].eq(0)
    mask = causal.masked_fill(padding, min_dtype)
    fully_masked = torch.all(mask == min_dtype, dim=-1, keepdim=True)
    return mask.mul(~fully_masked)


class FalconAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, n, _ = hidden_states.shape
        q, k, v = self.query_key_value(hidden_states).view(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_output = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=0.0)
        return self.dense(attn_output.transpose(1, 2).reshape(b, n, -1))


class FalconModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList(FalconAttention(config) for _ in range(config.num_hidden_layers))
        self.ln_f = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids, attention_mask):
        hidden_states = self.word_embeddings(input_ids)
        causal_mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, hidden_states.dtype)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, causal_mask)
        return self.ln_f(hidden_states)


if __name__ == "__main__":
    model = FalconModel(FalconConfig()).eval()
    input_ids = torch.randint(0, 128, (2, 7))
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    attention_mask[1, :3] = 0
    with torch.no_grad():
        out = model(input_ids, attention_mask)
    print(out.shape, torch.isnan(out).any().item())
