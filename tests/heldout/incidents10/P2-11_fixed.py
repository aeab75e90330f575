"""MIST (DiffMS) transformer_layer.py-style attention for peak sets padded
with zeros.  The padding mask is applied multiplicatively to the raw scores,
so padded peaks keep score 0 and still receive softmax weight."""
import torch
import torch.nn.functional as F
from torch import nn


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dim=16, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, x, key_padding_mask=None):
        """x: [N, L, E]; key_padding_mask: [N, L] bool, True = padded peak."""
        N, L, E = x.shape
        q, k, v = self.in_proj(x).view(N, L, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_output_weights = torch.einsum("nhld,nhsd->nhls", q, k) / self.head_dim ** 0.5
        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        attn_output_weights = F.softmax(attn_output_weights, dim=-1)
        out = torch.einsum("nhls,nhsd->nhld", attn_output_weights, v)
        return self.out_proj(out.transpose(1, 2).reshape(N, L, E)), attn_output_weights


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MultiheadAttention()
    peaks = torch.randn(2, 6, 16)
    pad = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    peaks[1, 4:] = 0.0
    out, w = mha(peaks, key_padding_mask=pad)
    print("attention weight on padded peaks:", w[1, :, :4, 4:].sum(-1).mean().item())
