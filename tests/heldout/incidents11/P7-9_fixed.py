from collections import namedtuple

import torch
import torch.nn.functional as F
from torch import nn

Intermediates = namedtuple("Intermediates", ["qk_similarities", "rows_without_keys"])


def exists(v):
    return v is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, causal=False, flash=True):
        super().__init__()
        self.dropout = dropout
        self.causal = causal
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len = k.shape[-2]
        if exists(mask):
            mask = (mask | ~mask.any(dim=-1, keepdim=True)).expand(batch, heads, q_len, k_len)
        rows = int((~mask).all(-1).sum()) if exists(mask) else 0
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0, is_causal=self.causal and not exists(mask))
        return out, Intermediates(None, rows)

    def forward(self, q, k, v, mask=None):
        return self.flash_attn(q, k, v, mask=mask)


class CrossAttention(nn.Module):
    def __init__(self, dim, dim_context, heads=4, dim_head=8):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim_context, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, dim, bias=False)
        self.attend = Attend(flash=True)
        self.last_intermediates = None

    def forward(self, x, context, context_mask=None):
        b, n, _ = x.shape
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = (t.view(b, context.shape[1], self.heads, -1).transpose(1, 2) for t in self.to_kv(context).chunk(2, dim=-1))
        mask = context_mask[:, None, None, :] if exists(context_mask) else None
        out, self.last_intermediates = self.attend(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class ConditionedDecoder(nn.Module):
    def __init__(self, num_tokens=40, dim=32, dim_context=24):
        super().__init__()
        self.emb = nn.Embedding(num_tokens, dim)
        self.cross = CrossAttention(dim, dim_context)
        self.norm = nn.LayerNorm(dim)
        self.logits = nn.Linear(dim, num_tokens)

    def forward(self, x, context, context_mask):
        h = self.emb(x)
        h = h + self.cross(self.norm(h), context, context_mask=context_mask)
        return self.logits(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ConditionedDecoder().eval()
    tokens = torch.randint(0, 40, (2, 5))
    context = torch.randn(2, 6, 24)
    context_mask = torch.tensor([[True, True, True, False, False, False], [False] * 6])
    with torch.no_grad():
        model(tokens, context, context_mask)
    print(f"query rows with no attendable context key at the flash call: {model.cross.last_intermediates.rows_without_keys}")
