"""Correct twins: the mask is applied when given and the causal flag used only without one; a
causal-mask parameter left unused beside is_causal=True; an encoder mask kept for cross-attention;
a causal layer that ignores the padding mask of right-padded batches (the pads come after every
real token)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SdpaAttention(nn.Module):
    def __init__(self, hidden=64, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(bsz, q_len, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=causal & attention_mask[:, None, None, :].bool())


class CausalOnly(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, causal_mask=None, encoder_attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)


class IgnoresPadding(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)


def train_batch():
    attention_mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]])
    return IgnoresPadding()(torch.randn(2, 4, 32), attention_mask=attention_mask)
