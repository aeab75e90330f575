"""Attention core in the style of lucidrains/x-transformers: an `Attend` module with
an einsum path and a flash path built on F.scaled_dot_product_attention."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


def exists(val):
    return val is not None


def default(val, d):
    return val if exists(val) else d


def max_neg_value(t):
    return -torch.finfo(t.dtype).max


def create_causal_mask(i, j, device):
    return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)


@dataclass
class AttendConfig:
    causal: bool = True
    flash: bool = True
    dropout: float = 0.0


class Attend(nn.Module):
    def __init__(self, cfg: AttendConfig):
        super().__init__()
        self.causal = cfg.causal
        self.flash = cfg.flash
        self.dropout = cfg.dropout
        self.attn_dropout = nn.Dropout(cfg.dropout)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, k_len = *q.shape[:3], k.shape[-2]
        if exists(mask):
            mask = mask[:, None, None, :].expand(batch, heads, q_len, k_len)
        if self.causal:
            causal_mask = create_causal_mask(q_len, k_len, q.device)
            mask = causal_mask if not exists(mask) else (mask & causal_mask)  # BUG
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)  # BUG

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)
        scale = q.shape[-1] ** -0.5
        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = max_neg_value(sim)
        if exists(mask):
            sim = sim.masked_fill(~mask[:, None, None, :], mask_value)
        if self.causal:
            i, j = sim.shape[-2:]
            sim = sim.masked_fill(create_causal_mask(i, j, sim.device), mask_value)
        attn = self.attn_dropout(sim.softmax(dim=-1))
        return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=16, attend_cfg=None):
        super().__init__()
        self.heads = heads
        inner = heads * dim_head
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim, inner * 2, bias=False)
        self.attend = Attend(default(attend_cfg, AttendConfig()))
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x, mask=None):
        b, n, _ = x.shape
        q = self.to_q(x)
        k, v = self.to_kv(x).chunk(2, dim=-1)
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out = self.attend(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class Decoder(nn.Module):
    def __init__(self, num_tokens=64, dim=32, depth=2, flash=True):
        super().__init__()
        self.emb = nn.Embedding(num_tokens, dim)
        cfg = AttendConfig(causal=True, flash=flash)
        self.layers = nn.ModuleList([Attention(dim, attend_cfg=cfg) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.logits = nn.Linear(dim, num_tokens)

    def forward(self, x, mask=None):
        h = self.emb(x)
        for layer in self.layers:
            h = h + layer(h, mask=mask)
        return self.logits(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Decoder(flash=True)
    seq = torch.randint(0, 64, (2, 12))
    mask = torch.ones(2, 11, dtype=torch.bool)
    logits = model(seq[:, :-1], mask=mask)
    loss = F.cross_entropy(logits.transpose(1, 2), seq[:, 1:])
    loss.backward()
    print("loss", loss.item())
