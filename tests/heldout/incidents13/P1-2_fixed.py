from collections import namedtuple
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn

EfficientAttentionConfig = namedtuple("EfficientAttentionConfig", ["enable_flash", "enable_math", "enable_mem_efficient"])


def exists(val):
    return val is not None


def default(val, d):
    return val if exists(val) else d


class Attend(nn.Module):
    def __init__(self, dropout=0.0, causal=False, flash=False):
        super().__init__()
        self.causal = causal
        self.flash = flash
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.cpu_config = EfficientAttentionConfig(True, True, True)

    def get_causal_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, k_len = *q.shape[:2], q.shape[-2], k.shape[-2]
        if exists(mask) and mask.ndim != 4:
            mask = mask[:, None, None, :].expand(-1, heads, q_len, -1)
        causal = self.causal
        if causal:
            causal_mask = self.get_causal_mask(q_len, k_len, q.device)
            mask = ~causal_mask if not exists(mask) else mask & ~causal_mask  # BUG
            causal = False
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0, is_causal=causal
        )

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)
        scale = q.shape[-1] ** -0.5
        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max
        if exists(mask):
            sim = sim.masked_fill(~mask[:, None, None, :], mask_value)
        if self.causal:
            i, j = sim.shape[-2:]
            sim = sim.masked_fill(self.get_causal_mask(i, j, sim.device), mask_value)
        attn = self.attn_dropout(sim.softmax(dim=-1))
        return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


class Attention(nn.Module):
    def __init__(self, dim, dim_head=16, heads=4, causal=False, flash=False):
        super().__init__()
        inner = dim_head * heads
        self.heads = heads
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim, inner * 2, bias=False)
        self.attend = Attend(causal=causal, flash=flash)
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x, context=None, mask=None):
        kv_input = default(context, x)
        split = partial(lambda t, h: t.view(t.shape[0], t.shape[1], h, -1).transpose(1, 2), h=self.heads)
        q = split(self.to_q(x))
        k, v = map(split, self.to_kv(kv_input).chunk(2, dim=-1))
        out = self.attend(q, k, v, mask=mask)
        out = out.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
        return self.to_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    flash_attn = Attention(dim=32, causal=True, flash=True).eval()
    plain_attn = Attention(dim=32, causal=True, flash=False).eval()
    plain_attn.load_state_dict(flash_attn.state_dict())
    x = torch.randn(2, 10, 32)
    with torch.no_grad():
        gap = (flash_attn(x) - plain_attn(x)).abs().max().item()
        y = x.clone()
        y[:, 5:] += torch.randn_like(y[:, 5:])
        leak = (flash_attn(y)[:, :5] - flash_attn(x)[:, :5]).abs().max().item()
    print(f"flash vs non-flash max diff = {gap:.4f}; future leak on first 5 positions = {leak:.4f}")
