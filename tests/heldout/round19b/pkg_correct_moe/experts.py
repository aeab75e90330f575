import torch
import torch.nn as nn


class ExpertFFN(nn.Module):
    def __init__(self, dim: int, hidden: int, n_experts: int):
        super().__init__()
        self.w_in = nn.Parameter(torch.randn(n_experts, dim, hidden) * dim ** -0.5)
        self.w_out = nn.Parameter(torch.randn(n_experts, hidden, dim) * hidden ** -0.5)
        self.act = nn.GELU()

    def forward(self, tokens, dispatch, combine):
        out = torch.zeros_like(tokens)
        for e in range(self.w_in.size(0)):
            idx = dispatch[:, e].nonzero(as_tuple=True)[0]
            if idx.numel() == 0:
                continue
            h = self.act(tokens[idx] @ self.w_in[e]) @ self.w_out[e]
            out.index_add_(0, idx, h * combine[idx, e, None])
        return out
