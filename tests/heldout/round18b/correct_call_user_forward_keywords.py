"""Morse/telegraph symbol language model with an optional learned distance bias."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SYMBOLS = ".- /"


class SignalBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, dist_bias=None, blocked=None):
        B, L, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        logits = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5
        if dist_bias is not None:
            logits = logits + dist_bias
        if blocked is not None:
            logits = logits.masked_fill(blocked, float("-inf"))
        return x + self.proj((logits.softmax(-1) @ v).transpose(1, 2).reshape(B, L, D))


class SignalLM(nn.Module):
    def __init__(self, d=32, heads=4, depth=2, use_bias=True):
        super().__init__()
        self.use_bias = use_bias
        self.heads = heads
        self.emb = nn.Embedding(len(SYMBOLS), d)
        self.decay = nn.Parameter(torch.linspace(0.1, 0.5, heads))
        self.blocks = nn.ModuleList(SignalBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, len(SYMBOLS))

    def forward(self, idx):
        L = idx.size(1)
        pos = torch.arange(L, device=idx.device)
        future = pos[None, :] > pos[:, None]
        bias = -self.decay[:, None, None] * (pos[:, None] - pos[None, :]).abs() if self.use_bias else None
        x = self.emb(idx)
        for blk in self.blocks:
            if bias is None:
                x = blk(x, blocked=future)
            else:
                x = blk(x, bias, future)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    idx = torch.tensor([[SYMBOLS.index(c) for c in "... --- ... / .-.. --- -.-"]])
    for flag in (True, False):
        lm = SignalLM(use_bias=flag)
        logits = lm(idx[:, :-1])
        idx2 = idx.clone()
        idx2[:, 15:] = 3
        same = torch.allclose(lm(idx2[:, :-1])[:, :15], logits[:, :15], atol=1e-5)
        print("bias", flag, "loss", round(F.cross_entropy(logits[0], idx[0, 1:]).item(), 5), "causal", same)
