from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    d_model: int = 8
    n_heads: int = 2
    max_len: int = 16


class Attention(nn.Module):
    def __init__(self, config: DecoderConfig, is_cross_attn: bool = False):
        super().__init__()
        self.num_heads = config.n_heads
        self.head_dim = config.d_model // config.n_heads
        self.is_cross_attn = is_cross_attn
        self.q_proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.kv_proj = nn.Linear(config.d_model, 2 * config.d_model, bias=False)
        self.o_proj = nn.Linear(config.d_model, config.d_model, bias=False)

    def forward(self, Xq, Xkv, attn_mask=None, is_causal=False):
        B, T, _ = Xq.shape
        q = self.q_proj(Xq).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k, v = self.kv_proj(Xkv).view(B, Xkv.shape[1], 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_output = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, scale=1.0, is_causal=is_causal)
        return self.o_proj(attn_output.transpose(1, 2).reshape(B, T, -1))


def create_attn_mask(q_len, k_padding_mask, is_causal=False):
    """(B, 1, Tq, Tk) boolean mask, True = attend. k_padding_mask is True for real tokens."""
    mask = k_padding_mask[:, None, None, :].expand(-1, 1, q_len, -1)
    if is_causal:
        tk = k_padding_mask.shape[1]
        mask = mask & torch.tril(torch.ones(q_len, tk, dtype=torch.bool, device=mask.device))
    return mask


class DecoderLayer(nn.Module):
    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.self_attention = Attention(config)
        self.norm = nn.LayerNorm(config.d_model)

    def forward(self, x, tgt_padding):
        self_attn_mask = create_attn_mask(x.shape[1], tgt_padding, is_causal=True)
        return x + self.self_attention(self.norm(x), self.norm(x), attn_mask=self_attn_mask, is_causal=False)


def run():
    layer = DecoderLayer(DecoderConfig())
    x = torch.randn(2, 5, 8)
    tgt_padding = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    return layer(x, tgt_padding)
