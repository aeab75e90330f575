"""Top-k mixture-of-experts feed-forward with capacity limits (Switch / GShard style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Expert(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.w1 = nn.Linear(d, hidden, bias=False)
        self.w2 = nn.Linear(hidden, d, bias=False)
        self.w3 = nn.Linear(d, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class TopKRouter(nn.Module):
    def __init__(self, d, n_experts, k=2, capacity_factor=1.25):
        super().__init__()
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.n_experts, self.k, self.cf = n_experts, k, capacity_factor

    def forward(self, x, token_mask):
        # x: (N, d) flattened tokens; token_mask: (N,) bool, False for padding tokens
        logits = self.gate(x)
        logits = logits.masked_fill(~token_mask[:, None], float("-inf"))
        probs = logits.softmax(-1).nan_to_num(0.0)
        topv, topi = probs.topk(self.k, dim=-1)
        dispatch = torch.zeros_like(probs).scatter_(1, topi, 1.0)      # (N, E) 0/1
        capacity = int(self.cf * x.size(0) * self.k / self.n_experts)
        position = torch.cumsum(dispatch, dim=0) * dispatch
        over = position > capacity
        dispatch = dispatch.masked_fill(over, 0.0)
        combine = probs * dispatch
        combine = combine / combine.sum(-1, keepdim=True).clamp(min=1e-9)
        aux = (probs.mean(0) * dispatch.mean(0)).sum() * self.n_experts
        return dispatch.bool(), combine, aux


class MoEFeedForward(nn.Module):
    def __init__(self, d=512, hidden=1024, n_experts=8, k=2):
        super().__init__()
        self.router = TopKRouter(d, n_experts, k)
        self.experts = nn.ModuleList(Expert(d, hidden) for _ in range(n_experts))

    def forward(self, x, attention_mask):
        B, T, D = x.shape
        flat = x.reshape(-1, D)
        dispatch, combine, aux = self.router(flat, attention_mask.reshape(-1).bool())
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            idx = dispatch[:, e].nonzero(as_tuple=True)[0]
            if idx.numel():
                out.index_add_(0, idx, expert(flat[idx]) * combine[idx, e, None])
        return out.view(B, T, D), aux


if __name__ == "__main__":
    moe = MoEFeedForward(d=64, hidden=128, n_experts=4)
    x = torch.randn(2, 10, 64)
    am = torch.ones(2, 10, dtype=torch.long)
    am[1, 6:] = 0
    y, aux = moe(x, am)
    print(y.shape, aux.item())
