"""A mask helper that returns None when no padding mask comes in, and the causal mask only
combined with the padding one (Hunyuan, P4-10): generation without a mask runs bidirectional."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_mask(attention_mask, seq_len, device):
    if attention_mask is None:
        return None
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).tril()
    return causal[None, None] & attention_mask.bool()[:, None, None, :]


class Block(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, attention_mask=None):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = prepare_mask(attention_mask, s, x.device)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML401
        return y.transpose(1, 2).reshape(b, s, d)
