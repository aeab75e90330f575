"""Dock fill-level generator for a bike-share system (prefix LM).

The prefix is yesterday's fill profile of the dock, encoded bidirectionally;
the continuation is today's profile, generated left to right. Both are
quantised into 21 fill buckets (0%, 5%, ..., 100%).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_BUCKETS = 21
SEP = N_BUCKETS  # separator between yesterday and today


def prefix_lm_mask(total_len: int, prefix_len: int, device=None) -> torch.Tensor:
    """Boolean (L, L), True where query i may read key j."""
    i = torch.arange(total_len, device=device)[:, None]
    j = torch.arange(total_len, device=device)[None, :]
    return (j <= i) | (j < prefix_len)


class PrefixAttention(nn.Module):
    def __init__(self, d, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, allowed):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.n_heads, -1).unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed, is_causal=True)  # BUG: is_causal=True together with the prefix-LM attn_mask
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class DockProfileLM(nn.Module):
    def __init__(self, d=32, n_heads=4, depth=2, max_len=2 * 96 + 1):
        super().__init__()
        self.tok = nn.Embedding(N_BUCKETS + 1, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(PrefixAttention(d, n_heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.out = nn.Linear(d, N_BUCKETS)

    def forward(self, tokens, prefix_len):
        L = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(L, device=tokens.device))
        allowed = prefix_lm_mask(L, prefix_len, tokens.device)
        for ln, attn, mlp in zip(self.ln, self.attn, self.mlp):
            x = x + attn(ln(x), allowed)
            x = x + mlp(x)
        return self.out(x)


def lm_loss(model, yesterday, today):
    sep = torch.full((yesterday.size(0), 1), SEP, dtype=torch.long)
    tokens = torch.cat([yesterday, sep, today], dim=1)
    prefix_len = yesterday.size(1) + 1
    logits = model(tokens[:, :-1], prefix_len)
    target = tokens[:, 1:].clone()
    target[:, : prefix_len - 1] = -100  # no loss on the prefix
    return F.cross_entropy(logits.reshape(-1, N_BUCKETS), target.reshape(-1), ignore_index=-100)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DockProfileLM()
    y = torch.randint(0, N_BUCKETS, (4, 96))
    t = torch.randint(0, N_BUCKETS, (4, 96))
    loss = lm_loss(model, y, t)
    loss.backward()
    print(float(loss))
