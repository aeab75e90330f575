"""A detectron2-style registry object: classes register under their own name and are built
from a config string."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Registry:
    def __init__(self, name):
        self._name = name
        self._obj_map = {}

    def register(self, obj=None):
        def deco(cls):
            self._obj_map[cls.__name__] = cls
            return cls
        return deco

    def get(self, name):
        ret = self._obj_map.get(name)
        if ret is None:
            raise KeyError(f"no object named {name!r} in the {self._name!r} registry")
        return ret


ATTENTION_REGISTRY = Registry("ATTENTION")


@ATTENTION_REGISTRY.register()
class WindowAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.proj = nn.Linear(dim, 3 * dim)

    def forward(self, tokens, mask):
        b, n, d = tokens.shape
        q, k, v = self.proj(tokens).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None, None, :])
        return out.transpose(1, 2).reshape(b, n, d)


class RegionEncoder(nn.Module):
    def __init__(self, dim=32, heads=4, attention_name="WindowAttention"):
        super().__init__()
        self.attn = ATTENTION_REGISTRY.get(attention_name)(dim, heads)

    def forward(self, tokens, lengths):
        padded = torch.arange(tokens.size(1), device=tokens.device)[None, :] >= lengths[:, None]
        return self.attn(tokens, padded)  # expect: ML102
