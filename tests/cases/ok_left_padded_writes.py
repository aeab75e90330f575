"""Correct twins of buggy_left_padded_writes: the left-padded masks inverted for the slot that
reads True as blocked, and a causal decoder that applies the padding mask too."""
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
        return self.attn(x, x, x, key_padding_mask=~keep)[0]


def encode(prompts):
    block = Block()
    ids, keep = pad_prompts(prompts)
    x = torch.randn(ids.shape[0], ids.shape[1], 32)
    return block(x, keep)


def sdpa_step(q, k, v, prompts):
    is_pad = pad_prompts_negative(prompts)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~is_pad[:, None, None, :])


class TinyDecoder(nn.Module):
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
        blocked = torch.ones(t, t, dtype=torch.bool).triu(1) | (attention_mask == 0)[:, None, None, :]
        scores = scores.masked_fill(blocked, float("-inf"))
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)

    def forward(self, ids, attention_mask):
        return self.head(self.attend(self.emb(ids), attention_mask))


def generate(model: TinyDecoder, prompts):
    ids, keep = pad_prompts(prompts)
    return model(ids, keep.long())


def right_padded_lm(model, prompts):
    """Right padding under a causal mask: the pads come after every real token."""
    width = max(len(p) for p in prompts)
    ids = torch.zeros(len(prompts), width, dtype=torch.long)
    keep = torch.zeros(len(prompts), width, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, :len(p)] = torch.tensor(p)
        keep[i, :len(p)] = 1
    return TinyDecoderNoPad()(ids, keep)


class TinyDecoderNoPad(TinyDecoder):
    def attend(self, x, attention_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / (d // self.h) ** 0.5
        scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
