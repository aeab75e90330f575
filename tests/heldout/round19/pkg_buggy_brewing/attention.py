import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_backend(q, k, v, keep):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def manual_backend(q, k, v, keep):
    # explicit path for the on-prem box whose old torch build lacks fused SDPA
    bias = torch.where(keep, float("-inf"), 0.0)  # BUG: branches swapped: -inf lands on the readings each hour is allowed to see and 0 on the future ones
    scores = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5 + bias
    return scores.softmax(-1) @ v


BACKENDS = {"sdpa": sdpa_backend, "manual": manual_backend}


class HourAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.n_heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)
        self.kernel = BACKENDS[cfg.attention_backend]

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = self.kernel(q, k, v, keep)
        return self.out(y.transpose(1, 2).reshape(B, T, D))
