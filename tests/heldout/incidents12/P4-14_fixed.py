import warnings
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def block_diff_mask(b, h, q_idx, kv_idx, block_size=None, n=None):
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q == 1, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv == 1, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & (x0_flag_kv == 1) & (x0_flag_q == 0)
    block_causal = (block_q >= block_kv) & (x0_flag_kv == 1) & (x0_flag_q == 1)
    return block_diagonal | offset_block_causal | block_causal


class DITBackbone(nn.Module):
    def __init__(self, hidden=32, heads=4, block_size=4):
        super().__init__()
        self.heads = heads
        self.block_size = block_size
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.block_diff_mask = None

    def gen_mask(self, seqlen, block_size, attn_backend="flex"):
        if attn_backend == "flex":
            self.block_diff_mask = create_block_mask(
                partial(block_diff_mask, block_size=block_size, n=seqlen),
                B=None, H=None, Q_LEN=seqlen * 2, KV_LEN=seqlen * 2, device="cpu", BLOCK_SIZE=block_size)
        elif attn_backend == "sdpa":
            self.block_diff_mask = block_diff_mask(
                b=None, h=None, q_idx=torch.arange(seqlen * 2)[:, None],
                kv_idx=torch.arange(seqlen * 2)[None, :], block_size=block_size, n=seqlen)
        else:
            raise ValueError("Unknown attention backend")

    def forward(self, x, attn_backend="flex"):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if attn_backend == "flex":
            out = flex_attention(q, k, v, block_mask=self.block_diff_mask)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=self.block_diff_mask)
        return self.out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    model = DITBackbone().eval()
    seqlen = 16
    model.gen_mask(seqlen, model.block_size, "sdpa")
    dense = model.block_diff_mask
    x = torch.randn(2, 2 * seqlen, 32)
    with torch.no_grad():
        ref = model(x, "sdpa")
        model.gen_mask(seqlen, model.block_size, "flex")
        out = model(x, "flex")
    block_view = model.block_diff_mask.to_dense()[0, 0].bool()
    n = model.block_diff_mask.BLOCK_SIZE[0]
    mismatch = (block_view.repeat_interleave(n, 0).repeat_interleave(n, 1)[: 2 * seqlen, : 2 * seqlen] != dense).sum().item()
    print(f"BLOCK_SIZE={n}: block-level mask entries differing from the dense mask = {mismatch}; flex vs sdpa output max |diff| = {(out - ref).abs().max().item():.4f}")
