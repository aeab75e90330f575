"""fp16 inference; the attention scores are masked in float32 (upcast first) in every spelling
but the first, which fills float16 scores with -1e9."""
import math

import torch
import torch.nn as nn


class Attn(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.dh = h, d // h
        self.qkv = nn.Linear(d, 3 * d)

    def heads(self, x):
        B, L, D = x.shape
        return self.qkv(x).view(B, L, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)

    def control(self, x, pad):
        q, k, v = self.heads(x)
        s = (q @ k.transpose(-2, -1)) * self.dh ** -0.5
        s = s.masked_fill(pad[:, None, None, :], -1e9)  # expect: ML205
        return s.softmax(-1) @ v

    def float_mul(self, x, pad):
        q, k, v = self.heads(x)
        s = (q @ k.transpose(-2, -1)).float() * self.dh ** -0.5
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        return (s.softmax(-1).to(v.dtype)) @ v

    def einsum_div(self, x, pad):
        q, k, v = self.heads(x)
        s = torch.einsum("bhid,bhjd->bhij", q, k).float() / math.sqrt(self.dh)
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        return s.softmax(-1).type_as(v) @ v

    def scale_left(self, x, pad):
        q, k, v = self.heads(x)
        s = self.dh ** -0.5 * torch.matmul(q, k.transpose(-1, -2)).to(torch.float32)
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        return s.softmax(-1).half() @ v

    def method_div(self, x, pad):
        q, k, v = self.heads(x)
        s = torch.matmul(q, k.transpose(-1, -2)).float().div(math.sqrt(self.dh))
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        return s.softmax(-1).to(v.dtype) @ v

    def augassign(self, x, pad):
        q, k, v = self.heads(x)
        s = torch.matmul(q, k.transpose(-1, -2)).float()
        s *= self.dh ** -0.5
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        return s.softmax(-1).to(v.dtype) @ v

    def baddbmm(self, x, pad):
        q, k, v = self.heads(x)
        B, H, L, d = q.shape
        s = torch.empty(B * H, L, L, dtype=torch.float32, device=q.device)
        s = torch.baddbmm(s, q.reshape(B * H, L, d).float(), k.reshape(B * H, L, d).float().transpose(1, 2),
                          beta=0, alpha=d ** -0.5).view(B, H, L, L)
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        return s.softmax(-1).to(v.dtype) @ v


def main():
    m = Attn().cuda().half() if torch.cuda.is_available() else Attn().half()
    x = torch.randn(2, 6, 64, dtype=torch.float16, device=next(m.parameters()).device)
    pad = torch.zeros(2, 6, dtype=torch.bool, device=x.device); pad[1, 4:] = True
    for name in ("float_mul", "einsum_div", "scale_left", "method_div", "augassign", "baddbmm"):
        print(name, getattr(m, name)(x, pad).dtype)


if __name__ == "__main__":
    main()
