"""Block-diffusion LM attention masks built with flex_attention's create_block_mask."""
from functools import partial

import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def block_diff_mask(b, h, q_idx, kv_idx, block_size, n):
    """Tokens [0, n) are the noisy copy x_t, [n, 2n) the clean copy x_0."""
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
    block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
    return block_diagonal | offset_block_causal | block_causal


def make_training_mask(seq_len, block_size, device="cpu"):
    mask_mod = partial(block_diff_mask, block_size=block_size, n=seq_len)
    return create_block_mask(mask_mod, B=None, H=None, Q_LEN=2 * seq_len, KV_LEN=2 * seq_len,
                             device=device, BLOCK_SIZE=block_size)


def reference_dense_mask(seq_len, block_size):
    q = torch.arange(2 * seq_len)[:, None]
    kv = torch.arange(2 * seq_len)[None, :]
    return block_diff_mask(None, None, q, kv, block_size, seq_len)


def attend(q, k, v, block_mask):
    return flex_attention(q, k, v, block_mask=block_mask)


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    seq_len, bs = 80, 16
    bm = make_training_mask(seq_len, bs)
    dense = reference_dense_mask(seq_len, bs)
    q, k, v = (torch.randn(1, 2, 2 * seq_len, 8) for _ in range(3))
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=dense)
    print("flex == dense:", torch.allclose(attend(q, k, v, bm), ref, atol=1e-4))
