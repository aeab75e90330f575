import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def make_block_diff_mask(block_size: int, n: int):
    """mask_mod for the concatenated [x_t ; x_0] sequence of length 2n."""

    def block_diff_mask(b, h, q_idx, kv_idx):
        x0_flag_q = q_idx >= n
        x0_flag_kv = kv_idx >= n
        block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
        block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
        block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
        offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
        block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
        return block_diagonal | offset_block_causal | block_causal

    return block_diff_mask


class BlockDiffusionAttention(nn.Module):
    def __init__(self, dim: int = 768, n_heads: int = 12, seq_len: int = 1024, block_size: int = 16):
        super().__init__()
        self.n_heads = n_heads
        self.block_size = block_size
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)
        self.block_mask = create_block_mask(
            make_block_diff_mask(block_size, seq_len),
            B=None, H=None, Q_LEN=seq_len * 2, KV_LEN=seq_len * 2,
            device="cpu", BLOCK_SIZE=block_size,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=self.block_mask)
        return self.out(y.transpose(1, 2).reshape(B, L, D))


if __name__ == "__main__":
    attn = BlockDiffusionAttention(dim=128, n_heads=4, seq_len=64, block_size=4)
    xt_x0 = torch.randn(2, 128, 128)
    with torch.no_grad():
        print(attn(xt_x0).shape)
