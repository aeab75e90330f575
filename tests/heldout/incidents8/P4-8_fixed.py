from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    n_embd: int = 64
    gqa_query_heads: int = 4
    kv_heads: int = 2
    gqa_head_dim: int = 16


class Attention(nn.Module):
    def __init__(self, config: DecoderConfig, is_cross_attn: bool = False):
        super().__init__()
        self.num_query_heads = config.gqa_query_heads
        self.num_kv_heads = config.kv_heads
        self.head_dim = config.gqa_head_dim
        self.is_cross_attn = is_cross_attn
        self.q_proj = nn.Linear(config.n_embd, self.num_query_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.n_embd, self.num_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.n_embd, self.num_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.num_query_heads * self.head_dim, config.n_embd, bias=False)

    def forward(self, Xq, Xkv, attn_mask=None, is_causal=False):
        B, T, _ = Xq.shape
        q = self.q_proj(Xq).view(B, T, self.num_query_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(Xkv).view(B, -1, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(Xkv).view(B, -1, self.num_kv_heads, self.head_dim).transpose(1, 2)
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask if not is_causal else None,
            scale=1.0,
            enable_gqa=self.num_query_heads != self.num_kv_heads,
            is_causal=is_causal,
        )
        return self.o_proj(attn_output.transpose(1, 2).reshape(B, T, -1))


def create_attn_mask(q_padding_mask_1d, k_padding_mask_1d, is_causal=False):
    p_mask_q = q_padding_mask_1d.unsqueeze(2)
    p_mask_k = k_padding_mask_1d.unsqueeze(1)
    mask = (p_mask_q & p_mask_k) | (~p_mask_q & ~p_mask_k)
    if is_causal:
        causal = torch.tril(torch.ones(mask.shape[-2], mask.shape[-1], dtype=torch.bool))
        mask = mask & causal
    return mask.unsqueeze(1)


if __name__ == "__main__":
    cfg = DecoderConfig()
    self_attn = Attention(cfg)
    x = torch.randn(2, 9, cfg.n_embd)
    pad = torch.ones(2, 9, dtype=torch.bool)
    pad[1, 6:] = False
    mask = create_attn_mask(pad, pad, is_causal=True)
    print(self_attn(x, x, attn_mask=mask, is_causal=True).shape)
