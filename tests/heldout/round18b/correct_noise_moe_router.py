"""Top-k mixture-of-experts feed-forward layer for a speech encoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TopKRouter(nn.Module):
    def __init__(self, d_model, n_experts, k=2):
        super().__init__()
        self.k = k
        self.gate = nn.Linear(d_model, n_experts, bias=False)

    def forward(self, x):
        logits = self.gate(x)
        topk_val, topk_idx = logits.topk(self.k, dim=-1)
        mask = torch.zeros_like(logits).scatter_(-1, topk_idx, 1.0)
        scores = logits.masked_fill(~mask.bool(), float("-inf")).softmax(-1)
        scores = scores.masked_fill(~mask.bool(), 0.0)
        aux = (mask.mean(0) * logits.softmax(-1).mean(0)).sum() * logits.size(-1)
        return scores, mask, aux


class MoEFeedForward(nn.Module):
    def __init__(self, d_model=32, d_ff=64, n_experts=4, k=2):
        super().__init__()
        self.router = TopKRouter(d_model, n_experts, k)
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Linear(d_ff, d_model)) for _ in range(n_experts))

    def forward(self, x):
        B, T, D = x.shape
        flat = x.reshape(-1, D)
        scores, mask, aux = self.router(flat)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            rows = mask[:, e].nonzero(as_tuple=True)[0]
            if rows.numel():
                out.index_add_(0, rows, expert(flat[rows]) * scores[rows, e : e + 1])
        return out.view(B, T, D), aux


class MoEConformerBlock(nn.Module):
    def __init__(self, d_model=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, heads, batch_first=True)
        self.moe = MoEFeedForward(d_model)
        self.n1, self.n2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, frame_pad):
        h = self.n1(x)
        x = x + self.attn(h, h, h, key_padding_mask=frame_pad, need_weights=False)[0]
        y, aux = self.moe(self.n2(x))
        return x + y, aux


if __name__ == "__main__":
    torch.manual_seed(0)
    block = MoEConformerBlock()
    frames = torch.randn(2, 10, 32)
    pad = torch.zeros(2, 10, dtype=torch.bool)
    pad[1, 7:] = True
    out, aux = block(frames, pad)
    print(tuple(out.shape), round(aux.item(), 5))
