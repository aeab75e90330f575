import torch
import torch.nn.functional as F
from torch import nn


def exists(val):
    return val is not None


class Attend(nn.Module):
    """Attention core. `mask` convention throughout: True = attend, False = mask out."""

    def __init__(self, dropout=0.0, causal=False, flash=False):
        super().__init__()
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.causal = causal
        self.flash = flash

    def get_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len, device = k.shape[-2], q.device

        # key padding mask (b, j) -> (b, h, i, j)
        if exists(mask):
            mask = mask[:, None, None, :].expand(batch, heads, q_len, k_len)

        causal = self.causal
        if causal and exists(mask):
            causal_mask = self.get_mask(q_len, k_len, device)
            mask = ~mask | causal_mask  # BUG
            causal = False

        return F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,  # BUG
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=causal,
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
            causal_mask = self.get_mask(sim.shape[-2], sim.shape[-1], q.device)
            sim = sim.masked_fill(causal_mask, mask_value)
        attn = self.attn_dropout(sim.softmax(dim=-1))
        return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 4, 6, 16) for _ in range(3))
    mask = torch.ones(2, 6, dtype=torch.bool)
    mask[1, 4:] = False  # second sequence is padded

    ref = Attend(causal=True, flash=False)(q, k, v, mask=mask)
    out = Attend(causal=True, flash=True)(q, k, v, mask=mask)
    print(out.shape)
    print("flash vs einsum max diff:", (out - ref)[0].abs().max().item())
