import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def eager_attention(q, k, v, key_padding):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(key_padding[:, None, None, :], float("-inf"))
    return scores.softmax(dim=-1) @ v


def sdpa_attention(q, k, v, key_padding):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~key_padding[:, None, None, :])


ATTN_IMPLS = {"eager": eager_attention, "sdpa": sdpa_attention}


class Encoder(nn.Module):
    def __init__(self, vocab, hidden=32, heads=4, pad_id=0, impl="sdpa"):
        super().__init__()
        self.pad_id, self.heads, self.impl = pad_id, heads, impl
        self.emb = nn.Embedding(vocab, hidden, padding_idx=pad_id)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)

    def forward(self, input_ids):
        key_padding = input_ids.eq(self.pad_id)
        x = self.emb(input_ids)
        b, n, c = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = ATTN_IMPLS[self.impl](q, k, v, key_padding)
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]])
    enc = Encoder(vocab=20)
    a = enc(ids)
    enc.impl = "eager"
    print("sdpa vs eager:", (a - enc(ids)).abs().max().item())
