from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class TransformerConfig:
    hidden_size: int = 8
    num_attention_heads: int = 2
    mask_attn: bool = True


class SetAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, x, attn_mask=None):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))


class PerturbationSetModel(nn.Module):
    """Cells of a set attend to themselves and to the control (basal) cells of the same set."""

    def __init__(self, config: TransformerConfig, n_genes=6):
        super().__init__()
        self.config = config
        self.encoder = nn.Linear(n_genes, config.hidden_size)
        self.attn = SetAttention(config)
        self.decoder = nn.Linear(config.hidden_size, n_genes)

    def build_mask(self, is_control, valid):
        # is_control, valid: (B, S) bool
        B, S = is_control.shape
        attn_mask = torch.eye(S, device=is_control.device).unsqueeze(0).repeat(B, 1, 1)  # BUG: float mask, (B, S, S)
        attn_mask = attn_mask + is_control[:, None, :].float()
        attn_mask = attn_mask & valid[:, None, :]  # BUG: bitwise and on a float tensor
        return attn_mask

    def forward(self, expr, is_control, valid):
        h = self.encoder(expr)
        attn_mask = self.build_mask(is_control, valid) if self.config.mask_attn else None
        h = h + self.attn(h, attn_mask=attn_mask)
        return self.decoder(h)


def run():
    model = PerturbationSetModel(TransformerConfig())
    expr = torch.randn(2, 5, 6)
    is_control = torch.tensor([[True, True, False, False, False], [True, False, False, False, False]])
    valid = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    return model(expr, is_control, valid)
