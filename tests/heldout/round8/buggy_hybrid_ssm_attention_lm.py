"""Jamba/Zamba-flavoured hybrid language model: mostly diagonal state-space
(S4D/Mamba-like, causal scan) mixer layers with a grouped-query attention
layer every ``attn_every`` blocks.  Trained with next-token prediction."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class HybridConfig:
    vocab: int = 256
    dim: int = 64
    n_layers: int = 4
    attn_every: int = 2
    heads: int = 4
    kv_heads: int = 2
    state: int = 16


class DiagonalSSM(nn.Module):
    """Input-dependent diagonal recurrence h_t = a_t * h_{t-1} + b_t * x_t (causal)."""

    def __init__(self, dim, state):
        super().__init__()
        self.in_proj = nn.Linear(dim, 2 * dim)
        self.conv = nn.Conv1d(dim, dim, 4, padding=3, groups=dim)
        self.dt = nn.Linear(dim, dim)
        self.A_log = nn.Parameter(torch.log(torch.linspace(1, state, dim)))
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        L = x.size(1)
        u, gate = self.in_proj(x).chunk(2, -1)
        u = F.silu(self.conv(u.transpose(1, 2))[..., :L].transpose(1, 2))  # causal conv
        a = torch.exp(-F.softplus(self.dt(u)) * self.A_log.exp() * 0.01)
        h = torch.zeros_like(u[:, 0])
        ys = []
        for t in range(L):
            h = a[:, t] * h + (1 - a[:, t]) * u[:, t]
            ys.append(h)
        return self.out(torch.stack(ys, 1) * F.silu(gate))


class GQAttention(nn.Module):
    def __init__(self, dim, heads, kv_heads):
        super().__init__()
        self.h, self.kvh, self.hd = heads, kv_heads, dim // heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * kv_heads * self.hd, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        B, L, D = x.shape
        q = self.q(x).view(B, L, self.h, self.hd).transpose(1, 2)
        k, v = self.kv(x).view(B, L, 2, self.kvh, self.hd).permute(2, 0, 3, 1, 4)
        rep = self.h // self.kvh
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        y = F.scaled_dot_product_attention(  # expect: ML401
            q, k, v, dropout_p=0.0
        )
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class HybridLM(nn.Module):
    def __init__(self, cfg: HybridConfig):
        super().__init__()
        self.emb = nn.Embedding(cfg.vocab, cfg.dim)
        self.mixers = nn.ModuleList(
            GQAttention(cfg.dim, cfg.heads, cfg.kv_heads) if (i + 1) % cfg.attn_every == 0
            else DiagonalSSM(cfg.dim, cfg.state)
            for i in range(cfg.n_layers)
        )
        self.norms = nn.ModuleList(nn.RMSNorm(cfg.dim) for _ in range(cfg.n_layers))
        self.head = nn.Linear(cfg.dim, cfg.vocab, bias=False)

    def forward(self, ids, targets=None):
        x = self.emb(ids)
        for norm, mixer in zip(self.norms, self.mixers):
            x = x + mixer(norm(x))
        logits = self.head(x)
        if targets is None:
            return logits
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), targets[:, 1:].flatten())


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HybridLM(HybridConfig()).eval()
    ids = torch.randint(0, 256, (2, 16))
    with torch.no_grad():
        print("train loss:", model(ids, ids).item())
        a = model(ids)
        ids2 = ids.clone()
        ids2[:, 10:] = 0
        b = model(ids2)
    leak = (a[:, :10] - b[:, :10]).abs().max().item()
    print("logit change before position 10 after editing tokens >= 10:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: attention layers let the LM read future tokens")
