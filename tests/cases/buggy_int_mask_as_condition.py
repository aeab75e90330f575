"""An int mask used as the condition of masked_fill / torch.where (catalogue P2-15).

Both take bool conditions only: torch raises "masked_fill_ only supports boolean masks, but got
mask with dtype long int" (and "where expected condition to be a boolean tensor").  A tokenizer's
attention_mask (int64, 1 = real token) passed down as it comes, `torch.tensor([[1, 1, 0]])`, and
`.long()` masks all reach the condition that way.
"""
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
    """An entry point that takes input_ids and the tokenizer's attention_mask beside it."""

    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab, d)
        self.inner = PhiStyleInner()

    def forward(self, input_ids, attention_mask=None):
        x = self.embed(input_ids)
        scores = torch.einsum("bqd,bkd->bqk", x, x)[:, None].expand(-1, self.heads, -1, -1)
        return self.inner(scores, key_padding_mask=attention_mask)  # expect: ML203


def pointer_scores(logits, lengths):
    valid = (torch.arange(logits.size(-1))[None, :] < lengths[:, None]).long()
    weights = torch.where(valid, logits, torch.full_like(logits, -1e9))  # expect: ML203
    return weights.softmax(-1)


def smoke():
    scores = torch.randn(2, 4, 3, 3)
    literal = torch.tensor([[1, 1, 0], [1, 1, 1]])
    return PhiStyleInner()(scores, key_padding_mask=literal)  # expect: ML203
