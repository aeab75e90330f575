from functools import partial

import torch
from torch import nn
import torch.nn.functional as F

# helpers

def exists(val):
    return val is not None

def default(val, d):
    return val if exists(val) else d

# main class

class Attend(nn.Module):
    def __init__(
        self,
        *,
        dropout = 0.,
        causal = False,
        scale = None,
        flash = False,
    ):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.attn_fn = partial(F.softmax, dtype = torch.float32)

        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.flash = flash

    def flash_attn(self, q, k, v, mask = None):
        batch, heads, q_len, _, k_len, device = *q.shape, k.shape[-2], q.device

        if k.ndim == 3:
            k = k.unsqueeze(1).expand_as(q)

        if v.ndim == 3:
            v = v.unsqueeze(1).expand_as(q)

        # Check if mask exists and expand to compatible shape
        # The mask is B L, so it would have to be expanded to B H N L

        causal = self.causal

        if exists(mask):
            assert mask.ndim == 4
            mask = mask.expand(batch, heads, q_len, k_len)

            # manually handle causal mask, if another mask was given

            if causal:
                causal_mask = torch.ones((q_len, k_len), dtype = torch.bool, device = device).triu(k_len - q_len + 1)
                mask = mask | causal_mask  # BUG
                causal = False

        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask = mask,
            dropout_p = self.dropout if self.training else 0.,
            is_causal = causal
        )

        return out

    def forward(self, q, k, v, mask = None):
        scale = default(self.scale, q.shape[-1] ** -0.5)

        if self.flash:
            return self.flash_attn(q, k, v, mask = mask)

        dots = torch.einsum('b h i d, b h j d -> b h i j', q, k) * scale
        mask_value = -torch.finfo(dots.dtype).max

        if exists(mask):
            dots = dots.masked_fill(~mask, mask_value)

        if self.causal:
            i, j = dots.shape[-2:]
            causal_mask = torch.ones((i, j), dtype = torch.bool, device = dots.device).triu(j - i + 1)
            dots = dots.masked_fill(causal_mask, mask_value)

        attn = self.attn_fn(dots, dim = -1)
        attn = self.attn_dropout(attn)
        return torch.einsum('b h i j, b h j d -> b h i d', attn, v)


if __name__ == '__main__':
    torch.manual_seed(0)
    attend = Attend(causal = True, flash = True)
    q, k, v = torch.randn(3, 2, 2, 6, 8).unbind(0)
    mask = torch.ones(2, 6, dtype = torch.bool)
    mask[1, 4:] = False
    mask = mask[:, None, None, :]
    k2, v2 = k.clone(), v.clone()
    k2[..., 3:, :] = torch.randn_like(k2[..., 3:, :])
    v2[..., 3:, :] = torch.randn_like(v2[..., 3:, :])
    leak = (attend(q, k, v, mask = mask) - attend(q, k2, v2, mask = mask))[..., :3, :].abs().max().item()
    print(f'flash path future leak on first 3 queries: {leak:.4f}')
