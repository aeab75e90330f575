"""modelling_RW.py (Falcon-7B remote code, excerpt): SDPA path of the
attention block.  The additive mask is hard-cast to bfloat16 and never handed
to SDPA, which runs with is_causal=True only, so left padding is ignored."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class RWConfig:
    hidden_size = 32
    n_head = 4
    bias = False


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.hidden_size // config.n_head
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=config.bias)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=config.bias)

    def forward(self, hidden_states, attention_mask, alibi=None):
        b, q_len, _ = hidden_states.shape
        q, k, v = self.query_key_value(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(torch.bfloat16)  # BUG
        if alibi is None:
            attn_output = F.scaled_dot_product_attention(q, k, v, None, 0.0, is_causal=True)  # BUG
            attn_output = attn_output.transpose(1, 2).reshape(b, q_len, -1)
            return self.dense(attn_output)
        raise NotImplementedError("alibi path not reconstructed")


def _prepare_attn_mask(attention_mask, seq_len):
    """bool [B, 1, L, L], True = masked (causal OR left padding)."""
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool).triu(1)
    pad = ~attention_mask.bool()[:, None, None, :]
    return causal[None, None] | pad


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Attention(RWConfig())
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])  # left padding
    mask = _prepare_attn_mask(am, 5)
    x = torch.randn(2, 5, 32)
    x2 = x.clone(); x2[0, :2] = torch.randn(2, 32) * 10
    with torch.no_grad():
        a, b = attn(x, mask), attn(x2, mask)
    print("real-token change from left-pad content:", (a[0, 2:] - b[0, 2:]).abs().max().item())
