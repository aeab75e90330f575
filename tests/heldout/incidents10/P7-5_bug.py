"""Unsloth fast-generation path for Gemma-style models (fp16), left-padded
prompts.  The bool SDPA mask (True = attend) is causal AND padding, so pad
query rows are all False; flash/mem-efficient fp16 kernels produced NaN
logits.  CPU SDPA returns 0 for such rows (kernel-dependent row: the smoke
run reports the number of fully-masked rows)."""
import torch
import torch.nn.functional as F
from torch import nn


def sdpa_mask(attention_mask_2d, q_len, kv_len):
    causal = torch.ones(q_len, kv_len, dtype=torch.bool).tril(kv_len - q_len)
    mask = causal[None, None] & attention_mask_2d.bool()[:, None, None, :]
    return mask


class GemmaAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, hidden_states, mask):
        b, s, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG
        return self.o_proj(out.transpose(1, 2).reshape(b, s, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = GemmaAttention().half()
    am = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])
    mask = sdpa_mask(am, 5, 5)
    with torch.no_grad():
        out = layer(torch.randn(2, 5, 32, dtype=torch.float16), mask)
    print("fully-masked query rows:", int((~mask.any(-1)).sum()), "| NaN on this kernel:", bool(out.isnan().any()))
