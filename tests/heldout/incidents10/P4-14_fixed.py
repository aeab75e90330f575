"""bd3lms-style block-diffusion attention with FlexAttention.  The block
mask is created without BLOCK_SIZE, so the sparse block size silently
defaults to 128 instead of the model's diffusion block size.  On the CPU
eager path in torch 2.13 the element-wise mask_mod keeps the result exact;
the mismatch only matters in the compiled/GPU kernels (kernel-dependent row:
the smoke run reports the block size the BlockMask was built with)."""
import warnings
from functools import partial

import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


def block_diff_mask(b, h, q_idx, kv_idx, block_size=None, n=None):
    """Mask for the concatenated [x_t, x_0] sequence of length 2n."""
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
    block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
    return block_diagonal | offset_block_causal | block_causal


class BlockDiffusionAttention(torch.nn.Module):
    def __init__(self, n=16, block_size=4):
        super().__init__()
        self.n, self.block_size = n, block_size
        mask_mod = partial(block_diff_mask, block_size=block_size, n=n)
        self.block_mask = create_block_mask(mask_mod, B=None, H=None, Q_LEN=2 * n, KV_LEN=2 * n, device="cpu", BLOCK_SIZE=block_size)

    def forward(self, q, k, v):
        return flex_attention(q, k, v, block_mask=self.block_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = BlockDiffusionAttention()
    q, k, v = (torch.randn(1, 2, 32, 8) for _ in range(3))
    out = attn(q, k, v)
    print("BlockMask BLOCK_SIZE:", attn.block_mask.BLOCK_SIZE, "| model block_size:", attn.block_size)
