import torch
import torch.nn.functional as F
from torch import nn


def eager_attention_forward(query, key, value, attention_mask, scaling):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        attn_weights = attn_weights.masked_fill(attention_mask, float("-inf"))
    attn_weights = attn_weights.softmax(-1)
    return torch.matmul(attn_weights, value)


def sdpa_attention_forward(query, key, value, attention_mask, scaling=None):
    return F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling)


ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Attention(nn.Module):
    def __init__(self, impl="eager"):
        super().__init__()
        self.impl = impl

    def forward(self, q, k, v, attention_mask):
        # attention_mask: (N, S), 1 = real token
        if self.impl == "sdpa":
            mask = attention_mask[:, None, None, :].bool()
        else:
            mask = (attention_mask == 0)[:, None, None, :]
        return ATTENTION_FUNCTIONS[self.impl](q, k, v, mask, 0.125)


if __name__ == "__main__":
    q = torch.randn(2, 4, 5, 16)
    am = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    a = Attention("eager")(q, q, q, am)
    b = Attention("sdpa")(q, q, q, am)
    print((a - b).abs().max())
