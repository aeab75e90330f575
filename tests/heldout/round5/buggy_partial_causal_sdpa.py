"""Decoder-only ASR language model used for shallow fusion; the attention callable is
configured once with functools.partial and stored on the module."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_attention_fn(causal: bool, dropout: float):
    return functools.partial(F.scaled_dot_product_attention, dropout_p=dropout, is_causal=causal)


class FusionLMLayer(nn.Module):
    def __init__(self, dim, heads, attn_fn):
        super().__init__()
        self.heads = heads
        self.attn_fn = attn_fn
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, token_keep):
        B, T, C = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = self.attn_fn(  # expect: ML403
            q, k, v,
            attn_mask=token_keep[:, None, None, :],
        )
        return x + self.out(y.transpose(1, 2).reshape(B, T, C))


class FusionLM(nn.Module):
    def __init__(self, vocab=500, dim=128, heads=4, depth=2):
        super().__init__()
        attn_fn = make_attention_fn(causal=True, dropout=0.0)
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(FusionLMLayer(dim, heads, attn_fn) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, lengths):
        keep = torch.arange(ids.size(1))[None, :] < lengths[:, None]
        x = self.emb(ids)
        for layer in self.layers:
            x = layer(x, keep)
        return self.head(x).log_softmax(-1)


if __name__ == "__main__":
    lm = FusionLM()
    print(lm(torch.randint(0, 500, (2, 9)), torch.tensor([9, 5])).shape)
