import torch
from torch.nn import functional as F


class SDPAMixin:
    """Shared multi-head plumbing; subclasses provide ``qkv``, ``proj``, ``n_head``, ``causal``."""

    def _split(self, t, B, T):
        return t.view(B, T, self.n_head, -1).transpose(1, 2)

    def attend(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = (self._split(t, B, T) for t in self.qkv(x).split(C, dim=-1))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))
