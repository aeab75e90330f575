import torch
import torch.nn.functional as F
from torch import nn


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, flash=True):
        super().__init__()
        self.dropout = dropout
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len = k.shape[-2]
        if exists(mask):
            mask = mask.expand(batch, heads, q_len, k_len)  # BUG
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0  # BUG
        )
        return out

    def forward(self, q, k, v, mask=None):
        return self.flash_attn(q, k, v, mask=mask)


class CrossAttention(nn.Module):
    def __init__(self, dim, dim_context, heads=4, dim_head=16):
        super().__init__()
        self.heads = heads
        inner = heads * dim_head
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim_context, 2 * inner, bias=False)
        self.attend = Attend(flash=True)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x, context, context_mask=None):
        b, n, _ = x.shape
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = (t.view(b, context.shape[1], self.heads, -1).transpose(1, 2) for t in self.to_kv(context).chunk(2, -1))
        mask = context_mask[:, None, None, :] if exists(context_mask) else None
        out = self.attend(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


if __name__ == "__main__":
    attn = CrossAttention(dim=32, dim_context=24).half()
    x = torch.randn(2, 5, 32).half()
    context = torch.randn(2, 7, 24).half()
    context_mask = torch.ones(2, 7, dtype=torch.bool)
    context_mask[1] = False
    with torch.no_grad():
        out = attn(x, context, context_mask=context_mask)
    print(out.shape, torch.isnan(out).any().item())
