import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, padding_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if padding_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            keep = ~padding_mask[:, None, None, :]
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML401
        return y.transpose(1, 2).reshape(b, t, d)


def lm_attention(q, k, v, attention_mask=None):
    if attention_mask is not None:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask[:, None, None, :].bool())  # expect: ML401
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)
