from functools import partial

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def block_diff_mask(b, h, q_idx, kv_idx, block_size=None, n=None):
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
    block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
    return block_diagonal | offset_block_causal | block_causal


class DDiTBlock(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.norm = nn.LayerNorm(dim)
        self.attn_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.attn_out = nn.Linear(dim, dim, bias=False)

    def forward(self, x, block_mask):
        b, s, d = x.shape
        qkv = self.attn_qkv(self.norm(x)).view(b, s, 3, self.n_heads, d // self.n_heads)
        q, k, v = torch.einsum("bsthd->tbhsd", qkv).unbind(0)
        out = flex_attention(q, k, v, block_mask=block_mask)  # BUG
        return x + self.attn_out(torch.einsum("bhsd->bshd", out).reshape(b, s, d))


class BD3LMBackbone(nn.Module):
    def __init__(self, vocab_size, seq_len, block_size, dim=128, n_heads=4, n_blocks=2):
        super().__init__()
        self.n = seq_len
        self.block_size = block_size
        self.vocab_embed = nn.Embedding(vocab_size, dim)
        self.blocks = nn.ModuleList([DDiTBlock(dim, n_heads) for _ in range(n_blocks)])
        self.output = nn.Linear(dim, vocab_size)
        self.gen_mask(seq_len, block_size)

    def gen_mask(self, seqlen, block_size):
        self.block_diff_mask = create_block_mask(  # BUG
            partial(block_diff_mask, block_size=block_size, n=seqlen),
            B=None, H=None, Q_LEN=seqlen * 2, KV_LEN=seqlen * 2,  # BUG
            device="cpu",
        )

    def forward(self, xt, x0):
        x = self.vocab_embed(torch.cat([xt, x0], dim=1))
        for block in self.blocks:
            x = block(x, self.block_diff_mask)
        return self.output(x[:, : self.n])
