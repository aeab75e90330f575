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
            causal = torch.ones(t, t, dtype=torch.bool).tril()
            keep = ~padding_mask[:, None, None, :] & causal
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return y.transpose(1, 2).reshape(b, t, d)


def bidirectional_or_causal(q, k, v, attention_mask=None, causal=False):
    if attention_mask is not None:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask[:, None, None, :].bool())
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
