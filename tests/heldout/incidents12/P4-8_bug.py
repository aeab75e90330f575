import torch
import torch.nn.functional as F
from torch import nn


class Attention(nn.Module):
    def __init__(self, embed_dim=32, num_query_heads=4, num_kv_heads=2, dropout=0.1, is_cross_attn=False):
        super().__init__()
        self.num_query_heads = num_query_heads
        self.num_kv_heads = num_kv_heads
        self.head_dim = embed_dim // num_query_heads
        self.is_cross_attn = is_cross_attn
        self.dropout = dropout
        self.q_proj = nn.Linear(embed_dim, num_query_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(embed_dim, num_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(embed_dim, num_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(num_query_heads * self.head_dim, embed_dim, bias=False)

    def forward(self, Xq, Xkv, attn_mask=None, is_causal=False):
        B, T, _ = Xq.shape
        q = self.q_proj(Xq).view(B, T, self.num_query_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(Xkv).view(B, -1, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(Xkv).view(B, -1, self.num_kv_heads, self.head_dim).transpose(1, 2)
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,  # BUG
            dropout_p=self.dropout if self.training else 0.0,
            scale=1.0,
            is_causal=is_causal,
            enable_gqa=True,
        )
        return self.o_proj(attn_output.transpose(1, 2).reshape(B, T, -1))


def create_attn_mask(q_padding_mask, k_padding_mask, is_causal=False):
    p_mask_q = q_padding_mask.unsqueeze(2)
    p_mask_k = k_padding_mask.unsqueeze(1)
    mask = p_mask_q & p_mask_k
    if is_causal:
        causal = torch.tril(torch.ones(mask.shape[-2], mask.shape[-1], dtype=torch.bool))
        mask = mask & causal
    return mask.unsqueeze(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    self_attn = Attention().train()
    x = torch.randn(2, 10, 32)
    padding = torch.ones(2, 10, dtype=torch.bool)
    mask = create_attn_mask(padding, padding, is_causal=True)
    try:
        torch.manual_seed(1)
        a = self_attn(x, x, attn_mask=mask, is_causal=True)
        edited = x.clone()
        edited[:, 6:] += 1.0
        torch.manual_seed(1)
        b = self_attn(edited, edited, attn_mask=mask, is_causal=True)
        print(f"ok: future leak with attention dropout = {(a[:, :6] - b[:, :6]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
