from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class TransformerBackboneConfig:
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size)
        self.o = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x, attn_mask=None):
        b, s, d = x.shape
        q, k, v = (t.view(b, s, self.h, d // self.h).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.o(y.transpose(1, 2).reshape(b, s, d))


class StateTransitionModel(nn.Module):
    """Predicts perturbed cell states for a set of cells; cells from different
    groups in the same sentence must not attend to each other when mask_attn=True."""

    def __init__(self, cfg: TransformerBackboneConfig, mask_attn: bool = True):
        super().__init__()
        self.cfg = cfg
        self.mask_attn = mask_attn
        self.layers = nn.ModuleList(SelfAttention(cfg) for _ in range(cfg.num_hidden_layers))

    def build_attention_mask(self, group_ids, valid):
        B, S = group_ids.shape
        attn_mask = torch.ones(B, S, S, device=group_ids.device)  # BUG
        same_group = (group_ids[:, :, None] == group_ids[:, None, :]).float()  # BUG
        attn_mask = attn_mask & same_group & valid[:, None, :].float()  # BUG
        return attn_mask  # BUG

    def forward(self, x, group_ids, valid):
        attn_mask = self.build_attention_mask(group_ids, valid) if self.mask_attn else None
        for layer in self.layers:
            x = x + layer(x, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = TransformerBackboneConfig()
    model = StateTransitionModel(cfg)
    x = torch.randn(2, 6, cfg.hidden_size)
    group_ids = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]])
    valid = torch.ones(2, 6, dtype=torch.bool)
    out = model(x, group_ids, valid)
    print(out.shape)
