"""Encoder self-attention that accepts a Hugging Face style 2-D attention_mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    extended = attention_mask[:, None, None, :].to(dtype=dtype)
    return extended * torch.finfo(dtype).min


class SelfAttention(nn.Module):
    def __init__(self, hidden=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.dense = nn.Linear(hidden, hidden)

    def forward(self, hidden_states, attention_mask):
        B, T, H = hidden_states.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(hidden_states).chunk(3, dim=-1))
        bias = get_extended_attention_mask(attention_mask, q.dtype)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        return self.dense(ctx.transpose(1, 2).reshape(B, T, H))


def encode(model, tokenizer_output):
    return model(tokenizer_output["hidden_states"], tokenizer_output["attention_mask"])
