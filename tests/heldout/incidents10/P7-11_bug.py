"""modeling_llama.py (2023, excerpt) - padding mask expansion used for the
non-causal (bidirectional / encoder-style) case.  The mask is laid out over
queries instead of keys, and its fill value is hard-coded to bfloat16's min."""
import math

import torch
from torch import nn


def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len=None):
    """[bsz, src_len] -> [bsz, 1, tgt_len, src_len]"""
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, :, None].expand(bsz, 1, src_len, tgt_len).to(dtype)  # BUG
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(torch.bfloat16).min)  # BUG

class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        q, k, v = (p(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
            attn_weights = torch.max(attn_weights, torch.tensor(torch.finfo(attn_weights.dtype).min))
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = LlamaAttention()
    am = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    x = torch.randn(2, 5, 32)
    x2 = x.clone(); x2[0, 3:] = torch.randn(2, 32) * 10
    mask = _expand_mask(am, x.dtype)
    with torch.no_grad():
        a, b = attn(x, mask), attn(x2, mask)
    print("real-token change from pad content:", (a[0, :3] - b[0, :3]).abs().max().item())
