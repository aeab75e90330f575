"""A script that calls ``.forward`` directly on a freshly built module, in a loop."""
import torch
import torch.nn.functional as F
from torch import nn


class KeyPaddingAttention(nn.Module):
    def __init__(self, dim=48, heads=3, pad_id=0):
        super().__init__()
        self.heads = heads
        self.pad_id = pad_id
        self.emb = nn.Embedding(100, dim, padding_idx=pad_id)
        self.proj = nn.Linear(dim, 3 * dim)

    def forward(self, tokens):
        x = self.emb(tokens)
        B, S, D = x.shape
        q, k, v = self.proj(x).reshape(B, S, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        pad = tokens == self.pad_id
        return F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # expect: ML102


for n in (4, 8):
    toks = torch.randint(1, 100, (2, n))
    KeyPaddingAttention().forward(toks)
