"""Clinical-visit encoder over a patient's coded events (diagnoses, procedures, labs).

Runs under bfloat16/float16 autocast on accelerators; scores are upcast before masking.
"""
import torch
from torch import nn


class VisitAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, code_is_pad):
        B, L, D = x.shape
        q = self.q(x).view(B, L, self.h, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, L, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-2, -1)).float() * (D // self.h) ** -0.5
        scores = scores.masked_fill(code_is_pad[:, None, None, :], -1e9)
        attn = torch.softmax(scores, dim=-1).to(v.dtype)
        return self.o(torch.matmul(attn, v).transpose(1, 2).reshape(B, L, D))


class VisitEncoder(nn.Module):
    def __init__(self, n_codes=300, dim=48, heads=4):
        super().__init__()
        self.codes = nn.Embedding(n_codes, dim, padding_idx=0)
        self.attn = VisitAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.risk = nn.Linear(dim, 1)

    def forward(self, codes):
        pad = codes == 0
        x = self.codes(codes)
        x = self.norm(x + self.attn(x, pad))
        keep = (~pad)[..., None].to(x.dtype)
        return self.risk((x * keep).sum(1) / keep.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    codes = torch.tensor([[5, 88, 120, 0, 0, 0], [7, 7, 19, 240, 3, 66]])
    model = VisitEncoder()
    print("risk fp32", model(codes).tolist())
    with torch.no_grad():
        print("risk fp16", model.half()(codes).float().tolist())
