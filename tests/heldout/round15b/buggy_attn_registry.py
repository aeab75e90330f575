import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def eager_attention(q, k, v, pad_mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(pad_mask[:, None, None, :], float("-inf"))
    return scores.softmax(dim=-1) @ v


def sdpa_attention(q, k, v, pad_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pad_mask[:, None, None, :])  # expect: ML102


ATTENTION_FUNCTIONS = {
    "eager": eager_attention,
    "sdpa": sdpa_attention,
}


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, attn_implementation="sdpa"):
        super().__init__()
        self.heads = heads
        self.attn_implementation = attn_implementation
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)

    def forward(self, x, pad_mask):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        attn_fn = ATTENTION_FUNCTIONS[self.attn_implementation]
        out = attn_fn(q, k, v, pad_mask)
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


class SentenceEncoder(nn.Module):
    def __init__(self, vocab, hidden=32, heads=4, layers=2, pad_id=0, attn_implementation="sdpa"):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, hidden, padding_idx=pad_id)
        self.attn = nn.ModuleList(SelfAttention(hidden, heads, attn_implementation) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def forward(self, input_ids):
        pad_mask = input_ids == self.pad_id
        x = self.emb(input_ids)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, pad_mask))
        keep = (~pad_mask).unsqueeze(-1).float()
        return (x * keep).sum(1) / keep.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]])
    enc = SentenceEncoder(vocab=20)
    emb = enc(ids)
    enc.attn[0].attn_implementation = enc.attn[1].attn_implementation = "eager"
    print("sdpa vs eager max diff:", (emb - enc(ids)).abs().max().item())
