from collections import namedtuple
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn, einsum

EfficientAttentionConfig = namedtuple("EfficientAttentionConfig", ["enable_flash", "enable_math", "enable_mem_efficient"])


def exists(val):
    return val is not None


def default(val, d):
    return val if exists(val) else d


class Attend(nn.Module):
    def __init__(self, dropout=0.0, causal=False, heads=None, scale=None, flash=False):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.flash = flash
        self.cpu_config = EfficientAttentionConfig(True, True, True)

    def get_causal_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _, k_len, is_cuda, device = *q.shape, k.shape[-2], q.is_cuda, q.device

        if exists(self.scale):
            default_scale = q.shape[-1] ** -0.5
            q = q * (self.scale / default_scale)

        causal = self.causal

        if exists(mask):
            assert mask.ndim == 4
            mask = mask.expand(batch, heads, q_len, k_len)

            if causal:
                causal_mask = self.get_causal_mask(q_len, k_len, device=device)
                mask = mask & ~causal_mask
                causal = False

        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=causal,
        )
        return out

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        scale = default(self.scale, q.shape[-1] ** -0.5)
        dots = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(dots.dtype).max
        if exists(mask):
            dots = dots.masked_fill(~mask, mask_value)
        if self.causal:
            i, j = dots.shape[-2:]
            dots = dots.masked_fill(self.get_causal_mask(i, j, device=q.device), mask_value)
        attn = self.attn_dropout(dots.softmax(dim=-1))
        return einsum("b h i j, b h j d -> b h i d", attn, v)


class Attention(nn.Module):
    def __init__(self, dim, dim_head=16, heads=4, causal=False, flash=False):
        super().__init__()
        self.heads = heads
        inner = dim_head * heads
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim, inner * 2, bias=False)
        self.attend = Attend(causal=causal, heads=heads, flash=flash)
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x, mask=None):
        b, n, _ = x.shape
        h = self.heads
        q = self.to_q(x)
        k, v = self.to_kv(x).chunk(2, dim=-1)
        q, k, v = map(lambda t: t.view(b, n, h, -1).transpose(1, 2), (q, k, v))
        input_mask = None
        if exists(mask):
            input_mask = mask[:, None, None, :]
        out = self.attend(q, k, v, mask=input_mask)
        out = out.transpose(1, 2).reshape(b, n, -1)
        return self.to_out(out)


class Decoder(nn.Module):
    def __init__(self, num_tokens, dim, depth, flash=True):
        super().__init__()
        self.token_emb = nn.Embedding(num_tokens, dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([nn.LayerNorm(dim), partial(Attention, dim, causal=True, flash=flash)()]))
        self.to_logits = nn.Linear(dim, num_tokens)

    def forward(self, x, mask=None):
        x = self.token_emb(x)
        for norm, attn in self.layers:
            x = x + attn(norm(x), mask=mask)
        return self.to_logits(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Decoder(num_tokens=64, dim=32, depth=2, flash=True).eval()
    seq = torch.randint(0, 64, (2, 9))
    mask = torch.ones_like(seq).bool()
    seq2 = seq.clone()
    seq2[:, -1] = (seq2[:, -1] + 5) % 64
    with torch.no_grad():
        d = (net(seq, mask=mask)[:, :-1] - net(seq2, mask=mask)[:, :-1]).abs().max().item()
    print(f"prefix change when last token changes: {d:.3e}")
