from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel


@dataclass
class DecoderConfig:
    n_embd: int = 16
    gqa_query_heads: int = 4
    kv_heads: int = 2
    gqa_head_dim: int = 4


class Attention(nn.Module):
    def __init__(self, config: DecoderConfig, is_cross_attn: bool = False):
        super().__init__()
        self.num_query_heads = config.gqa_query_heads
        self.num_kv_heads = config.kv_heads
        self.head_dim = config.gqa_head_dim
        self.num_gqa_groups = self.num_query_heads // self.num_kv_heads
        self.q_proj = nn.Linear(config.n_embd, self.num_query_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.n_embd, self.num_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.n_embd, self.num_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.num_query_heads * self.head_dim, config.n_embd, bias=False)

    def forward(self, Xq, Xkv, attn_mask=None, is_causal=False):
        B, T, _ = Xq.shape
        Xq_BxNxTxH = self.q_proj(Xq).view(B, T, self.num_query_heads, self.head_dim).transpose(1, 2)
        Xk_BxKxSxH = self.k_proj(Xkv).view(B, -1, self.num_kv_heads, self.head_dim).transpose(1, 2)
        Xv_BxKxSxH = self.v_proj(Xkv).view(B, -1, self.num_kv_heads, self.head_dim).transpose(1, 2)
        Xk_BxKxSxH = Xk_BxKxSxH.repeat_interleave(self.num_gqa_groups, dim=1)
        Xv_BxKxSxH = Xv_BxKxSxH.repeat_interleave(self.num_gqa_groups, dim=1)
        attn_output = F.scaled_dot_product_attention(
            Xq_BxNxTxH,
            Xk_BxKxSxH,
            Xv_BxKxSxH,
            attn_mask=attn_mask,  # BUG
            scale=1.0,
            is_causal=is_causal,
        )
        return self.o_proj(attn_output.transpose(1, 2).reshape(B, T, -1))


def create_attn_mask(q_padding_mask_1d, k_padding_mask_1d, is_causal=False):
    mask = q_padding_mask_1d[:, :, None] & k_padding_mask_1d[:, None, :]
    if is_causal:
        T = q_padding_mask_1d.shape[1]
        mask = mask & torch.tril(torch.ones(T, T, dtype=torch.bool))
    return mask.unsqueeze(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = DecoderConfig()
    self_attention = Attention(cfg)
    tokens = torch.randn(2, 6, cfg.n_embd)
    dec_padding = torch.ones(2, 6, dtype=torch.bool)
    dec_self_attn_mask = create_attn_mask(dec_padding, dec_padding, is_causal=True)
    try:
        with sdpa_kernel(SDPBackend.MATH), torch.no_grad():
            out = self_attention(tokens, tokens, attn_mask=dec_self_attn_mask, is_causal=True)
        print(f"decoder prefill ok, output norm {out.norm().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
