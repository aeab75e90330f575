"""Protein language model with a switchable attention kernel."""
import torch
import torch.nn.functional as F
from torch import nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD, CLS, MASK_TOKEN = 0, 1, 2


def _sdpa(q, k, v, keep):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def _math(q, k, v, keep):
    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
    scores = scores.masked_fill(~keep, float("-inf"))
    return scores.softmax(-1) @ v


ATTN = {"sdpa": _sdpa, "math": _math}


class ResidueLayer(nn.Module):
    def __init__(self, dim, heads, impl="sdpa"):
        super().__init__()
        self.heads, self.impl = heads, impl
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.ln = nn.LayerNorm(dim)

    def forward(self, x, tokens):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        gaps = (tokens == PAD)[:, None, None, :]
        y = ATTN[self.impl](q, k, v, gaps)  # expect: ML102
        return x + self.o(y.transpose(1, 2).reshape(b, n, d))


class ProteinMLM(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2, impl="sdpa"):
        super().__init__()
        self.emb = nn.Embedding(len(AMINO) + 3, dim, padding_idx=PAD)
        self.layers = nn.ModuleList(ResidueLayer(dim, heads, impl) for _ in range(layers))
        self.out = nn.Linear(dim, len(AMINO) + 3)

    def forward(self, tokens):
        x = self.emb(tokens)
        for layer in self.layers:
            x = layer(x, tokens)
        return self.out(x)


def encode(seqs):
    n = max(map(len, seqs)) + 1
    out = torch.full((len(seqs), n), PAD)
    for i, s in enumerate(seqs):
        out[i, 0] = CLS
        out[i, 1:len(s) + 1] = torch.tensor([AMINO.index(a) + 3 for a in s])
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = encode(["MKTAYIAKQR", "GSHMLE", "MVLSPADKTNVKAAW"])
    print(ProteinMLM()(batch).argmax(-1))
