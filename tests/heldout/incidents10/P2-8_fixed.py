"""Unsloth-style fast Gemma forward: prepares the 4-D SDPA mask itself from
the tokenizer's attention_mask.  Torch raises on the bug (G1: attn_mask dtype
must be bool or float, got long)."""
import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, dtype):
    bsz, q_len = input_shape
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    if attention_mask is None:
        return None
    attention_mask = attention_mask[:, None, None, :].bool() & causal[None, None]
    return attention_mask


class GemmaFastAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.hd = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, hidden_states, causal_mask):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


def GemmaModel_fast_forward(layers, hidden_states, attention_mask):
    causal_mask = _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, hidden_states.shape[:2], hidden_states.dtype)
    for layer in layers:
        hidden_states = hidden_states + layer(hidden_states, causal_mask)
    return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    layers = nn.ModuleList([GemmaFastAttention() for _ in range(2)])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])  # left padded, int64 from tokenizer
    x = torch.randn(2, 5, 32)
    x2 = x.clone(); x2[0, :2] = torch.randn(2, 32) * 10
    with torch.no_grad():
        a = GemmaModel_fast_forward(layers, x, attention_mask)
        b = GemmaModel_fast_forward(layers, x2, attention_mask)
    print("real-token change from left-pad content:", (a[0, 2:] - b[0, 2:]).abs().max().item())
