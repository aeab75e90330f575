import warnings
from dataclasses import dataclass
from functools import partial

import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


@dataclass
class BD3LMConfig:
    block_size: int = 4
    hidden_size: int = 32
    n_heads: int = 4


def block_diff_mask(b, h, q_idx, kv_idx, block_size=128, n=None):
    """Block diffusion mask over [x_t ; x_0] (length 2n):
    block-diagonal inside x_t and x_0, x_t blocks see earlier clean blocks, x_0 is block-causal."""
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
    block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
    return block_diagonal | offset_block_causal | block_causal


class DiTAttention(torch.nn.Module):
    def __init__(self, config: BD3LMConfig, seqlen: int):
        super().__init__()
        self.config = config
        self.qkv = torch.nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.block_mask = create_block_mask(
            partial(block_diff_mask, n=seqlen),  # BUG
            B=None, H=None, Q_LEN=2 * seqlen, KV_LEN=2 * seqlen, device="cpu",
        )

    def forward(self, x):  # x: (B, 2n, D) = [noisy x_t ; clean x_0]
        b, L, d = x.shape
        q, k, v = (t.view(b, L, self.config.n_heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        return flex_attention(q, k, v, block_mask=self.block_mask).transpose(1, 2).reshape(b, L, d)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg, n = BD3LMConfig(), 16
    attn = DiTAttention(cfg, seqlen=n)
    x = torch.randn(2, 2 * n, cfg.hidden_size)
    with torch.no_grad():
        out = attn(x)
        x2 = x.clone()
        x2[:, 8:12] = torch.randn(2, 4, cfg.hidden_size)  # re-noise noisy block 2 only
        out2 = attn(x2)
    print(out.shape)
    print("noisy block 0 reacts to noisy block 2:", (out2 - out)[:, :4].abs().max().item())
