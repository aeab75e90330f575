"""Pluggable attention implementations, selected by name from the model config."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel


def sdpa_math(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False):
    # reference path, used for debugging and on hardware without fused kernels
    with sdpa_kernel(SDPBackend.MATH):
        return F.scaled_dot_product_attention(
            query, key, value, attn_mask=attn_mask, dropout_p=dropout_p, is_causal=is_causal
        )


ATTN_FUNCTIONS = {
    "sdpa": F.scaled_dot_product_attention,
    "math": sdpa_math,
}


class DecoderSelfAttention(nn.Module):
    def __init__(self, hidden, heads, attn_impl="math", dropout=0.0):
        super().__init__()
        self.heads = heads
        self.attn_impl = attn_impl
        self.dropout = dropout
        self.wq = nn.Linear(hidden, hidden, bias=False)
        self.wk = nn.Linear(hidden, hidden, bias=False)
        self.wv = nn.Linear(hidden, hidden, bias=False)
        self.wo = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask):
        # attention_mask: (B, T) bool, True = real token (right padding)
        B, T, D = x.shape
        q = self.wq(x).view(B, T, self.heads, -1).transpose(1, 2)
        k = self.wk(x).view(B, T, self.heads, -1).transpose(1, 2)
        v = self.wv(x).view(B, T, self.heads, -1).transpose(1, 2)
        keep = attention_mask[:, None, None, :]
        p = self.dropout if self.training else 0.0
        out = ATTN_FUNCTIONS[self.attn_impl](q, k, v, attn_mask=keep, dropout_p=p, is_causal=True)  # expect: ML403
        return self.wo(out.transpose(1, 2).reshape(B, T, D))


class TinyDecoder(nn.Module):
    def __init__(self, vocab=8000, hidden=256, heads=4, layers=4, attn_impl="math"):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.attn = nn.ModuleList(DecoderSelfAttention(hidden, heads, attn_impl) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.lm = nn.Linear(hidden, vocab)

    def forward(self, ids, attention_mask):
        h = self.emb(ids)
        for attn, norm in zip(self.attn, self.norm):
            h = h + attn(norm(h), attention_mask)
        return self.lm(h)


if __name__ == "__main__":
    model = TinyDecoder()
    ids = torch.randint(0, 8000, (2, 12))
    am = torch.ones(2, 12, dtype=torch.bool)
    am[1, 8:] = False
    print(model(ids, am).shape)
