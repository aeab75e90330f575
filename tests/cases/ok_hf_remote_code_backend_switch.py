"""A trust_remote_code style model: its own attention-function table, the mask built per backend."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class MyConfig:
    def __init__(self, hidden_size=64, num_attention_heads=4, attn_implementation="eager"):
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self._attn_implementation = attn_implementation


def eager_attention(query, key, value, attention_mask=None):
    """attention_mask: bool, True = masked out."""
    scores = torch.matmul(query, key.transpose(-1, -2)) / math.sqrt(query.size(-1))
    if attention_mask is not None:
        scores = scores.masked_fill(attention_mask, torch.finfo(scores.dtype).min)
    return torch.matmul(scores.softmax(dim=-1), value)


def sdpa_attention(query, key, value, attention_mask=None):
    """attention_mask: bool, True = take part in attention."""
    return F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask)


ATTN_FUNCS = {"eager": eager_attention, "sdpa": sdpa_attention}


class SelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.n_heads = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.proj = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask=None):
        b, t, c = hidden_states.shape
        q, k, v = self.qkv(hidden_states).split(c, dim=-1)
        q, k, v = (x.view(b, t, self.n_heads, -1).transpose(1, 2) for x in (q, k, v))
        mask = None
        if attention_mask is not None:
            if self.config._attn_implementation == "sdpa":
                mask = attention_mask[:, None, None, :].bool()
            else:
                mask = attention_mask[:, None, None, :] == 0
        out = ATTN_FUNCS[self.config._attn_implementation](q, k, v, mask)
        return self.proj(out.transpose(1, 2).reshape(b, t, c))


class Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.emb = nn.Embedding(100, config.hidden_size)
        self.layers = nn.ModuleList([SelfAttention(config) for _ in range(2)])

    def forward(self, input_ids, attention_mask=None):
        h = self.emb(input_ids)
        for layer in self.layers:
            h = layer(h, attention_mask)
        return h


if __name__ == "__main__":
    ids = torch.randint(1, 100, (2, 6))
    am = torch.tensor([[1] * 6, [1, 1, 1, 1, 0, 0]])
    torch.manual_seed(0)
    a = Model(MyConfig(attn_implementation="eager"))(ids, am)
    torch.manual_seed(0)
    b = Model(MyConfig(attn_implementation="sdpa"))(ids, am)
    print((a - b).abs().max())
