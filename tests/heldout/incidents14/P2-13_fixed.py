import math

import torch
import torch.nn.functional as F
from torch import nn


def _make_causal_mask(input_ids_shape, device, past_key_values_length):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool, device=device)
    # ONNX doesn't support `torch.Tensor.triu` properly, thus we use this workaround
    seq_ids = torch.arange(target_length, device=device)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    if past_key_values_length > 0:
        mask[:, :past_key_values_length] = False
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _expand_mask(mask, tgt_length):
    batch_size, src_length = mask.shape
    tgt_length = tgt_length if tgt_length is not None else src_length
    expanded_mask = ~(mask[:, None, None, :].to(torch.bool))
    return expanded_mask.expand(batch_size, 1, tgt_length, src_length)


def _prepare_attn_mask(attention_mask, input_shape, past_key_values_length=0):
    combined_attention_mask = None
    if input_shape[-1] > 1:
        combined_attention_mask = _make_causal_mask(input_shape, attention_mask.device, past_key_values_length)
    expanded_attn_mask = _expand_mask(attention_mask, tgt_length=input_shape[-1])
    return expanded_attn_mask if combined_attention_mask is None else expanded_attn_mask | combined_attention_mask


class Attention(nn.Module):
    def __init__(self, hidden_size=16, n_head=2):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_heads = n_head
        self.head_dim = hidden_size // n_head
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        batch_size, q_length, _ = hidden_states.shape
        fused_qkv = self.query_key_value(hidden_states).view(batch_size, q_length, 3, self.num_heads, self.head_dim)
        query_layer, key_layer, value_layer = fused_qkv.permute(2, 0, 3, 1, 4)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(query_layer.dtype)  # BUG
        attn_output = F.scaled_dot_product_attention(
            query_layer, key_layer, value_layer, attention_mask_float, 0.0, is_causal=False  # BUG
        )
        attn_output = attn_output.transpose(1, 2).reshape(batch_size, q_length, self.hidden_size)
        return self.dense(attn_output)


class RWModel(nn.Module):
    def __init__(self, vocab_size=32, hidden_size=16, n_head=2, n_layer=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size)
        self.h = nn.ModuleList([Attention(hidden_size, n_head) for _ in range(n_layer)])

    def forward(self, input_ids, attention_mask):
        hidden_states = self.word_embeddings(input_ids)
        causal_mask = _prepare_attn_mask(attention_mask, input_shape=input_ids.shape)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, causal_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RWModel().eval()
    prompt = torch.tensor([[7, 3, 9, 4]])
    left_padded = torch.tensor([[0, 0, 7, 3, 9, 4]])
    with torch.no_grad():
        alone = model(prompt, torch.ones(1, 4, dtype=torch.long))
        padded = model(left_padded, torch.tensor([[0, 0, 1, 1, 1, 1]]))
    print(f"left-padding changes prompt hidden states by {(alone - padded[:, 2:]).abs().max().item():.4f}")
