import torch.nn as nn
import torch.nn.functional as F


class GQAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.kvh = cfg.n_heads, cfg.n_kv_heads
        self.hd = cfg.dim // cfg.n_heads
        self.q = nn.Linear(cfg.dim, cfg.dim, bias=False)
        self.kv = nn.Linear(cfg.dim, 2 * self.kvh * self.hd, bias=False)
        self.o = nn.Linear(cfg.dim, cfg.dim, bias=False)

    def forward(self, x, bias):
        B, T, D = x.shape
        q = self.q(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.kvh, self.hd).permute(2, 0, 3, 1, 4)
        # query head j uses kv head j // (h // kvh): repeat each kv head in place
        k = k.repeat_interleave(self.h // self.kvh, dim=1)
        v = v.repeat_interleave(self.h // self.kvh, dim=1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias[:T, :T])
        return self.o(y.transpose(1, 2).reshape(B, T, D))
