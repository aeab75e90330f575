import warnings
from functools import partial

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def block_diff_mask(b, h, q_idx, kv_idx, block_size=None, n=None):
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
    block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
    return block_diagonal | offset_block_causal | block_causal


class DITBackbone(nn.Module):
    def __init__(self, hidden=32, heads=4, seqlen=16, block_size=4):
        super().__init__()
        self.n_heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.block_size = block_size
        self.gen_mask(seqlen, block_size, attn_backend="flex")

    def gen_mask(self, seqlen, block_size, attn_backend="sdpa"):
        if attn_backend == "flex":
            self.block_diff_mask = create_block_mask(
                partial(block_diff_mask, block_size=block_size, n=seqlen),
                B=None, H=None, Q_LEN=seqlen * 2, KV_LEN=seqlen * 2, device="cpu")  # BUG
        elif attn_backend == "sdpa":
            self.block_diff_mask = block_diff_mask(
                b=None, h=None, q_idx=torch.arange(seqlen * 2)[:, None],
                kv_idx=torch.arange(seqlen * 2)[None, :], block_size=block_size, n=seqlen)
        else:
            raise ValueError("Unknown attention backend")

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, C // self.n_heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=self.block_diff_mask)
        return self.out(y.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    seqlen, bs = 16, 4
    model = DITBackbone(seqlen=seqlen, block_size=bs)
    dense_ref = block_diff_mask(None, None, torch.arange(2 * seqlen)[:, None], torch.arange(2 * seqlen)[None, :], bs, seqlen)
    bm = model.block_diff_mask
    q_bs, kv_bs = bm.BLOCK_SIZE
    blocks = bm.to_dense()[0, 0].bool()
    expanded = blocks.repeat_interleave(q_bs, 0).repeat_interleave(kv_bs, 1)[: 2 * seqlen, : 2 * seqlen]
    wrong = (expanded != dense_ref).sum().item()
    print(f"BlockMask BLOCK_SIZE={bm.BLOCK_SIZE}; dense view disagrees with the block-diffusion mask at {wrong} of {dense_ref.numel()} positions")
