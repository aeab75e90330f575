"""Griffin / RecurrentGemma-flavoured hybrid LM: real-gated linear recurrent
units (RG-LRU) interleaved with a global attention layer implemented with
nn.MultiheadAttention.  The attention gets an explicit boolean causal mask AND
the is_causal hint (the hint only lets PyTorch pick a faster kernel; the mask
itself is causal, so both agree)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RGLRU(nn.Module):
    def __init__(self, d, c=8.0):
        super().__init__()
        self.c = c
        self.gate_a, self.gate_x = nn.Linear(d, d), nn.Linear(d, d)
        self.log_lambda = nn.Parameter(torch.rand(d) * 2 + 1)
        self.inp, self.out = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        u = self.inp(x)
        r, i = torch.sigmoid(self.gate_a(x)), torch.sigmoid(self.gate_x(x))
        log_a = -self.c * F.softplus(self.log_lambda) * r
        a = log_a.exp()
        h = torch.zeros_like(u[:, 0])
        outs = []
        for t in range(u.size(1)):
            h = a[:, t] * h + torch.sqrt(1 - a[:, t] ** 2 + 1e-6) * (i[:, t] * u[:, t])
            outs.append(h)
        return self.out(torch.stack(outs, 1))


class GlobalAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x):
        L = x.size(1)
        causal = torch.ones(L, L, dtype=torch.bool, device=x.device).triu(1)  # True = future, blocked
        return self.mha(x, x, x, attn_mask=causal, is_causal=True, need_weights=False)[0]


class GriffinLM(nn.Module):
    def __init__(self, vocab=200, d=64, h=4, pattern=("rec", "rec", "attn")):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.mixers = nn.ModuleList(GlobalAttention(d, h) if p == "attn" else RGLRU(d) for p in pattern)
        self.norms = nn.ModuleList(nn.RMSNorm(d) for _ in pattern)
        self.mlps = nn.ModuleList(nn.Sequential(nn.RMSNorm(d), nn.Linear(d, 3 * d), nn.GELU(), nn.Linear(3 * d, d)) for _ in pattern)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        x = self.emb(ids)
        for norm, mix, mlp in zip(self.norms, self.mixers, self.mlps):
            x = x + mix(norm(x))
            x = x + mlp(x)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = GriffinLM()
    ids = torch.randint(0, 200, (2, 20))
    logits = lm(ids)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten())
    loss.backward()
    lm.eval()
    with torch.no_grad():
        a = lm(ids)
        ids2 = ids.clone()
        ids2[:, 12:] = 3
        b = lm(ids2)
    assert torch.allclose(a[:, :12], b[:, :12], atol=1e-5)
    assert torch.isfinite(loss)
    print("OK: causal bool mask + matching is_causal hint; no future leak")
