"""The same masks made bool before they are a condition: `.bool()`, a comparison, `== 0`."""
import torch
import torch.nn as nn


class PhiStyleInner(nn.Module):
    def forward(self, scores, key_padding_mask=None):
        b, h, t, s = scores.shape
        if key_padding_mask is not None:
            bias = torch.full((b, s), -10000.0, dtype=scores.dtype)
            bias.masked_fill_(key_padding_mask, 0.0)
            scores = scores + bias[:, None, None, :]
        return scores.softmax(-1)


class PhiStyleEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab, d)
        self.inner = PhiStyleInner()

    def forward(self, input_ids, attention_mask=None):
        x = self.embed(input_ids)
        scores = torch.einsum("bqd,bkd->bqk", x, x)[:, None].expand(-1, self.heads, -1, -1)
        keep = attention_mask.bool() if attention_mask is not None else None
        return self.inner(scores, key_padding_mask=keep)


class ExtendedMaskLayer(nn.Module):
    """Deep in model code `attention_mask` is often already bool (True = padding): not the raw mask."""

    def forward(self, scores, attention_mask):
        return scores.masked_fill(attention_mask, float("-inf")).softmax(-1)


def pointer_scores(logits, lengths):
    valid = torch.arange(logits.size(-1))[None, :] < lengths[:, None]
    weights = torch.where(valid, logits, torch.full_like(logits, -1e9))
    return weights.softmax(-1)


def smoke():
    scores = torch.randn(2, 4, 3, 3)
    literal = torch.tensor([[1, 1, 0], [1, 1, 1]])
    return PhiStyleInner()(scores, key_padding_mask=literal == 1)
