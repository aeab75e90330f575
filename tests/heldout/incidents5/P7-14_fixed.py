"""VLA policy prefix/suffix attention (config-driven eager attention under AMP)."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class PolicyConfig:
    width: int = 32
    num_heads: int = 4
    proj_dtype: torch.dtype = torch.float16
    attention_implementation: str = "eager"


def make_att_2d_masks(pad_masks, att_masks):
    """Prefix-LM style mask: tokens attend to all earlier blocks (cumsum trick)."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d = pad_masks[:, None, :] & pad_masks[:, :, None]
    return att_2d & pad_2d


class EagerAttention(nn.Module):
    def __init__(self, cfg: PolicyConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.width, 3 * cfg.width)
        self.out = nn.Linear(cfg.width, cfg.width)

    def forward(self, x, att_2d):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.cfg.num_heads, -1).permute(2, 0, 3, 1, 4)
        att_weights = (q @ k.transpose(-1, -2)) * (d // self.cfg.num_heads) ** -0.5
        big_neg = torch.finfo(att_weights.dtype).min
        masked = torch.where(att_2d[:, None], att_weights, big_neg)
        probs = masked.softmax(-1).to(v.dtype)
        return self.out((probs @ v).transpose(1, 2).reshape(b, t, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = PolicyConfig()
    attn = EagerAttention(cfg).to(cfg.proj_dtype)
    x = torch.randn(2, 6, cfg.width, dtype=cfg.proj_dtype)
    pad = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]]).bool()
    att = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1]])
    att_2d = make_att_2d_masks(pad, att)
    att_2d = att_2d | torch.eye(6, dtype=torch.bool)
    print(attn(x, att_2d).shape)
