import torch
import torch.nn as nn
import torch.nn.functional as F


class ExpertChoiceRouter(nn.Module):
    def __init__(self, dim, n_experts, capacity):
        super().__init__()
        self.capacity = capacity
        self.w = nn.Linear(dim, n_experts, bias=False)

    def forward(self, x, token_mask):
        scores = self.w(x).softmax(-1)
        scores = scores.masked_fill(~token_mask[..., None], 0.0)
        top, idx = scores.transpose(1, 2).topk(self.capacity, dim=-1)
        dispatch = torch.zeros_like(scores.transpose(1, 2)).scatter_(-1, idx, 1.0)
        return dispatch, top, idx


class SparseMoELayer(nn.Module):
    def __init__(self, dim=64, n_experts=4, capacity=4, heads=4):
        super().__init__()
        self.router = ExpertChoiceRouter(dim, n_experts, capacity)
        self.experts = nn.ModuleList(nn.Linear(dim, dim) for _ in range(n_experts))
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, token_mask):
        x = x + self.attn(x, x, x, key_padding_mask=~token_mask, need_weights=False)[0]
        dispatch, gates, idx = self.router(x, token_mask)
        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            combine = torch.zeros(x.shape[:2], device=x.device).scatter(-1, idx[:, e], gates[:, e])
            combine = combine * dispatch[:, e]
            out = out + combine[..., None] * expert(x)
        return x + out


if __name__ == "__main__":
    x = torch.randn(2, 10, 64)
    m = torch.ones(2, 10, dtype=torch.bool)
    m[1, 7:] = False
    print(SparseMoELayer()(x, m).shape)
