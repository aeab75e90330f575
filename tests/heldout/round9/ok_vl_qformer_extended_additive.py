"""Q-Former text self-attention (BLIP-2 style) with the HF "extended attention mask":
(1 - mask) * finfo(dtype).min turns the 0/1 keep mask into an additive bias."""
import math

import torch
import torch.nn as nn


def get_extended_attention_mask(attention_mask, dtype):
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class QFormerSelfAttention(nn.Module):
    def __init__(self, d=32, heads=4, n_query=4):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.query_tokens = nn.Parameter(torch.randn(1, n_query, d))
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def split(self, t):
        B, L, _ = t.shape
        return t.view(B, L, self.h, self.dh).transpose(1, 2)

    def forward(self, text_emb, attention_mask):
        B = text_emb.size(0)
        x = torch.cat([self.query_tokens.expand(B, -1, -1), text_emb], 1)
        full = torch.cat([attention_mask.new_ones(B, self.query_tokens.size(1)), attention_mask], 1)
        scores = self.split(self.q(x)) @ self.split(self.k(x)).transpose(-1, -2) / math.sqrt(self.dh)
        scores = scores + get_extended_attention_mask(full, scores.dtype)
        y = scores.softmax(-1) @ self.split(self.v(x))
        return y.transpose(1, 2).reshape(B, x.size(1), -1)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = QFormerSelfAttention()
    text = torch.randn(2, 6, 32)
    am = torch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]])
    a = layer(text, am)
    text2 = text.clone()
    text2[0, 3:] = 8.0
    b = layer(text2, am)
    assert torch.allclose(a[0, :7], b[0, :7], atol=1e-6), "padding leaked"
    assert not torch.isnan(a).any()
    print("OK: query tokens and real text ignore padded text")
