"""Symbolic regression decoder (expression tokens) with a hand-rolled pre-norm block."""
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["<pad>", "<s>", "x", "y", "+", "-", "*", "/", "sin", "cos", "exp", "log", "1", "2", "3"]


def subsequent_mask(n, device=None):
    return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), 1)


class ExprBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.n1, self.n2, self.n3 = (nn.LayerNorm(d) for _ in range(3))
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))

    def forward(self, x, points, causal):
        h = self.n1(x)
        x = x + self.self_attn(
            h, h, h,
            causal,  # expect: ML501
        )[0]
        h = self.n2(x)
        x = x + self.cross_attn(h, points, points)[0]
        return x + self.ff(self.n3(x))


class ExprDecoder(nn.Module):
    def __init__(self, d=64, depth=2):
        super().__init__()
        self.tok = nn.Embedding(len(OPS), d)
        self.pos = nn.Embedding(32, d)
        self.point_enc = nn.Linear(3, d)
        self.blocks = nn.ModuleList(ExprBlock(d) for _ in range(depth))
        self.out = nn.Linear(d, len(OPS))

    def forward(self, tokens, points):
        T = tokens.size(1)
        x = self.tok(tokens) + self.pos.weight[:T]
        p = self.point_enc(points)
        causal = subsequent_mask(T, tokens.device)
        for blk in self.blocks:
            x = blk(x, p, causal)
        return self.out(x)


if __name__ == "__main__":
    dec = ExprDecoder()
    toks = torch.randint(1, len(OPS), (3, 3))
    try:
        logits = dec(toks, torch.randn(3, 100, 3))
        print(F.cross_entropy(logits[:, :-1].flatten(0, 1), toks[:, 1:].flatten()).item())
    except (RuntimeError, AssertionError) as e:
        print("error:", str(e)[:90])
