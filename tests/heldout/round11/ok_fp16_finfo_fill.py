"""Cross-attention adapter that lets a frozen text model read retrieved passages (half precision)."""
import torch
import torch.nn as nn


class RetrievalCrossAttention(nn.Module):
    def __init__(self, dim, ctx_dim, heads=8):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(ctx_dim, 2 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.gate = nn.Parameter(torch.zeros(1))

    def forward(self, hidden, passages, passage_mask):
        B, L, D = hidden.shape
        S = passages.size(1)
        q = self.q(hidden).view(B, L, self.heads, -1).transpose(1, 2)
        k, v = self.kv(passages).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        blocked = passage_mask[:, None, None, :] == 0
        scores = scores.masked_fill(blocked, torch.finfo(scores.dtype).min)
        probs = scores.float().softmax(-1).to(v.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(B, L, D)
        return hidden + torch.tanh(self.gate) * self.o(out)


if __name__ == "__main__":
    dtype = torch.float16
    layer = RetrievalCrossAttention(256, 384).to(dtype)
    hidden = torch.randn(2, 20, 256, dtype=dtype)
    passages = torch.randn(2, 3 * 64, 384, dtype=dtype)
    passage_mask = torch.ones(2, 3 * 64, dtype=torch.long)
    passage_mask[1, 100:] = 0
    with torch.no_grad():
        out = layer(hidden, passages, passage_mask)
    print(out.dtype, torch.isfinite(out).all().item())
