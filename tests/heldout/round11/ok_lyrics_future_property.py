"""Lyrics language model; the block-causal table is shared with an MHA-based teacher model."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LyricsAttention(nn.Module):
    def __init__(self, dim, heads, max_len=256):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)
        self.register_buffer("_future", torch.ones(max_len, max_len, dtype=torch.bool).triu(1), persistent=False)

    @property
    def future(self):
        """True where the key lies after the query (the nn.MultiheadAttention convention)."""
        return self._future

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=~self.future[:T, :T])
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class Teacher(nn.Module):
    def __init__(self, dim, heads, student_attn: LyricsAttention):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.shared = student_attn

    def forward(self, x):
        T = x.size(1)
        return self.mha(x, x, x, attn_mask=self.shared.future[:T, :T], need_weights=False)[0]


if __name__ == "__main__":
    student = LyricsAttention(64, 4)
    teacher = Teacher(64, 4, student)
    x = torch.randn(2, 40, 64)
    distill = F.mse_loss(student(x), teacher(x).detach())
    distill.backward()
    print(distill.item())
