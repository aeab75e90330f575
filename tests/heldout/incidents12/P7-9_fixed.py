import torch
import torch.nn.functional as F
from torch import nn


def exists(v):
    return v is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, flash=True):
        super().__init__()
        self.dropout = dropout
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        row_is_entirely_masked = None
        if exists(mask):
            mask = mask.expand(batch, heads, q_len, k.shape[-2])
            row_is_entirely_masked = ~mask.any(dim=-1)
            mask = mask.clone()
            if exists(row_is_entirely_masked):
                mask[..., 0] = mask[..., 0] | row_is_entirely_masked
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        if exists(row_is_entirely_masked):
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.0)
        return out


class CrossAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim, bias=False)
        self.attend = Attend()

    def forward(self, x, context, context_mask=None):
        b, n, d = x.shape
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = (t.view(b, context.shape[1], self.heads, -1).transpose(1, 2) for t in self.to_kv(context).chunk(2, dim=-1))
        mask = context_mask[:, None, None, :] if exists(context_mask) else None
        out = self.attend.flash_attn(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = CrossAttention().eval()
    x, context = torch.randn(2, 5, 32), torch.randn(2, 4, 32)
    context_mask = torch.tensor([[True, True, False, False], [False, False, False, False]])
    with torch.no_grad():
        out = attn(x, context, context_mask)
    print(f"sample with empty context: query rows with no attendable key {int((~context_mask.any(-1)).sum()) * 5}; NaN on this CPU backend {int(torch.isnan(out).sum())}; max |out| {out[1].abs().max().item():.4f}")
