"""Batched generation in three code bases' habits: prompts padded on the left by writing each
prompt at the end of its row (``[i, L - n:]``, ``[i, -n:]``), and masks built the same way."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pad_prompts(prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id)
    keep = torch.zeros(len(prompts), width, dtype=torch.bool)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        keep[i, width - len(p):] = True
    return ids, keep


def pad_prompts_negative(prompts):
    width = max(len(p) for p in prompts)
    is_pad = torch.ones(len(prompts), width, dtype=torch.bool)
    for i, p in enumerate(prompts):
        is_pad[i, -len(p):] = False
    return is_pad


class Block(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, keep):
        return self.attn(x, x, x, key_padding_mask=keep)[0]


def encode(prompts):
    block = Block()
    ids, keep = pad_prompts(prompts)
    x = torch.randn(ids.shape[0], ids.shape[1], 32)
    return block(x, keep)  # expect: ML101


def sdpa_step(q, k, v, prompts):
    is_pad = pad_prompts_negative(prompts)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=is_pad[:, None, None, :])  # expect: ML102


class TinyDecoder(nn.Module):
    """A decoder-only LM whose attention takes the padding mask and only applies the causal one:
    with prompts padded on the left, every real token attends to the pads before it."""

    def __init__(self, vocab=50, d=32, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.head = nn.Linear(d, vocab)

    def attend(self, x, attention_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / (d // self.h) ** 0.5
        scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)

    def forward(self, ids, attention_mask):
        return self.head(self.attend(self.emb(ids), attention_mask))


def generate(model: TinyDecoder, prompts):
    ids, keep = pad_prompts(prompts)
    return model(ids, keep.long())  # expect: ML504
