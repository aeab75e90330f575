import torch
import torch.nn.functional as F
from torch import nn
from einops import rearrange


def exists(v):
    return v is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, flash=True):
        super().__init__()
        self.dropout = dropout
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        if exists(mask):
            mask = mask.expand(batch, heads, q_len, k.shape[-2])  # BUG
        out = F.scaled_dot_product_attention(  # BUG
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0
        )
        return out

    def forward(self, q, k, v, mask=None):
        return self.flash_attn(q, k, v, mask=mask)


class CrossAttention(nn.Module):
    def __init__(self, dim, dim_context, heads=8, dim_head=32):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim_context, 2 * inner, bias=False)
        self.attend = Attend()
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x, context, context_mask=None):
        q = rearrange(self.to_q(x), "b n (h d) -> b h n d", h=self.heads)
        k, v = (rearrange(t, "b n (h d) -> b h n d", h=self.heads) for t in self.to_kv(context).chunk(2, dim=-1))
        mask = rearrange(context_mask, "b j -> b 1 1 j") if exists(context_mask) else None
        out = self.attend(q, k, v, mask=mask)
        return self.to_out(rearrange(out, "b h n d -> b n (h d)"))


class ConditionedDecoder(nn.Module):
    def __init__(self, num_tokens=256, dim=128, dim_context=64, depth=2):
        super().__init__()
        self.embed = nn.Embedding(num_tokens, dim)
        self.cross = nn.ModuleList([CrossAttention(dim, dim_context) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.logits = nn.Linear(dim, num_tokens)

    def forward(self, tokens, context, context_mask):
        x = self.embed(tokens)
        for attn in self.cross:
            x = x + attn(self.norm(x), context, context_mask=context_mask)
        return self.logits(self.norm(x))
