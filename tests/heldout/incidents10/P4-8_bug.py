"""dia/layers.py style attention: the decoder self-attention passes both a
prepared causal mask and is_causal=True to SDPA.  The kernels that reject
this combination raise; the smoke run selects the MATH backend to reproduce
the RuntimeError ("Explicit attn_mask should not be set when is_causal=True")."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel


class Attention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, is_cross_attn=False):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.is_cross_attn = is_cross_attn
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.o_proj = nn.Linear(embed_dim, embed_dim, bias=False)

    def forward(self, Xq, Xkv, attn_mask=None, is_causal=False):
        B, T, _ = Xq.shape
        q = self.q_proj(Xq).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(Xkv).view(B, -1, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(Xkv).view(B, -1, self.num_heads, self.head_dim).transpose(1, 2)
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            scale=1.0,
            is_causal=is_causal,  # BUG
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
    attn = Attention()
    x = torch.randn(2, 5, 32)
    pad = torch.ones(2, 5, dtype=torch.bool)
    mask = create_attn_mask(pad, pad, is_causal=True)
    with sdpa_kernel(SDPBackend.MATH), torch.no_grad():
        out = attn(x, x, attn_mask=mask, is_causal=True)
    print("decoder self-attention ok:", tuple(out.shape))
