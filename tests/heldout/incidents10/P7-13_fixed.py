"""Custom transformer attention trained with mixed precision (apex#1105
style): the score tensor is fp16 under O2/half weights and padded keys are
filled with -1e10.  Torch raises on the bug (value cannot be converted to
type at::Half without overflow)."""
import torch
import torch.nn as nn


def attention(query, key, value, mask=None, dropout=None):
    d_k = query.size(-1)
    scores = torch.matmul(query, key.transpose(-2, -1)) / d_k ** 0.5
    if mask is not None:
        scores = scores.masked_fill(mask == 0, torch.finfo(scores.dtype).min)
    p_attn = torch.softmax(scores, dim=-1)
    if dropout is not None:
        p_attn = dropout(p_attn)
    return torch.matmul(p_attn, value), p_attn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h=2, d_model=16):
        super().__init__()
        self.d_k, self.h = d_model // h, h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])

    def forward(self, query, key, value, mask=None):
        if mask is not None:
            mask = mask.unsqueeze(1)
        nb = query.size(0)
        query, key, value = [l(x).view(nb, -1, self.h, self.d_k).transpose(1, 2)
                             for l, x in zip(self.linears, (query, key, value))]
        x, _ = attention(query, key, value, mask=mask)
        return self.linears[-1](x.transpose(1, 2).contiguous().view(nb, -1, self.h * self.d_k))


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MultiHeadedAttention().half()
    x = torch.randn(2, 5, 16, dtype=torch.float16)
    src_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]).unsqueeze(1)
    x2 = x.clone(); x2[0, 3:] = torch.randn(2, 16, dtype=torch.float16) * 10
    with torch.no_grad():
        a, b = mha(x, x, x, src_mask), mha(x2, x2, x2, src_mask)
    print("real-token change from pad content:", (a[0, :3] - b[0, :3]).abs().max().item())
