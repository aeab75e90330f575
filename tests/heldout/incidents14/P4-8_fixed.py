import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel


class DenseGeneral(nn.Module):
    def __init__(self, in_shapes, out_features):
        super().__init__()
        self.out_features = out_features
        self.weight = nn.Parameter(torch.randn(in_shapes[0], *out_features) * in_shapes[0] ** -0.5)

    def forward(self, inputs):
        return torch.tensordot(inputs, self.weight, dims=([-1], [0]))


class Attention(nn.Module):
    """Attention using DenseGeneral."""

    def __init__(self, q_embed_dim, kv_embed_dim, num_query_heads, num_kv_heads, head_dim, out_embed_dim=None):
        super().__init__()
        self.num_query_heads = num_query_heads
        self.num_kv_heads = num_kv_heads
        self.head_dim = head_dim
        self.output_dim = out_embed_dim if out_embed_dim is not None else q_embed_dim
        self.q_proj = DenseGeneral((q_embed_dim,), (num_query_heads, head_dim))
        self.k_proj = DenseGeneral((kv_embed_dim,), (num_kv_heads, head_dim))
        self.v_proj = DenseGeneral((kv_embed_dim,), (num_kv_heads, head_dim))
        self.o_proj = nn.Linear(num_query_heads * head_dim, self.output_dim, bias=False)

    def forward(self, Xq, Xkv, attn_mask=None, is_causal=False):
        Xq_BxNxTxH = self.q_proj(Xq).transpose(1, 2)
        attn_k = self.k_proj(Xkv).transpose(1, 2)
        attn_v = self.v_proj(Xkv).transpose(1, 2)

        attn_output = F.scaled_dot_product_attention(
            Xq_BxNxTxH,
            attn_k,
            attn_v,
            attn_mask=attn_mask if not is_causal else None,  # BUG
            scale=1.0,
            is_causal=is_causal,
        )
        attn_output = attn_output.transpose(1, 2).contiguous()
        return self.o_proj(attn_output.flatten(2))


def create_attn_mask(q_padding_mask_1d, k_padding_mask_1d, device, is_causal=False):
    """Boolean [B, 1, Tq, Tk] mask, True where attention is allowed."""
    p_mask_q = q_padding_mask_1d.unsqueeze(2)
    p_mask_k = k_padding_mask_1d.unsqueeze(1)
    mask = (p_mask_q & p_mask_k) | (~p_mask_q & ~p_mask_k)
    if is_causal:
        Tq, Tk = q_padding_mask_1d.shape[1], k_padding_mask_1d.shape[1]
        mask = mask & torch.tril(torch.ones((Tq, Tk), dtype=torch.bool, device=device))
    return mask.unsqueeze(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    self_attn = Attention(q_embed_dim=8, kv_embed_dim=8, num_query_heads=2, num_kv_heads=2, head_dim=4)
    x = torch.randn(1, 5, 8)
    padding = torch.ones(1, 5, dtype=torch.bool)
    dec_self_attn_mask = create_attn_mask(padding, padding, x.device, is_causal=True)
    try:
        with torch.no_grad(), sdpa_kernel(SDPBackend.MATH):
            out = self_attn(x, x, attn_mask=dec_self_attn_mask, is_causal=True)
        print(f"decoder prefill ok: output norm {out.norm().item():.4f}")
    except RuntimeError as exc:
        print(f"RuntimeError: {exc}")
