"""A docstring copied between models says the mask is a BoolTensor with 1 for real queries, but
the attention adds it as the precomputed additive mask the model passes (or None): a documented
bool padding mask stays a guess, so adding it is not reported (transformers' Grounding DINO)."""
import math

import torch
import torch.nn as nn


class TextSelfAttention(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h, self.hd = h, d // h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, self.hd).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.hd)
        if attention_mask is not None:
            scores = scores + attention_mask  # precomputed additive mask
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = TextSelfAttention()

    def forward(self, queries, self_attn_mask=None):
        """
        Args:
            self_attn_mask (`torch.BoolTensor` of shape `(batch_size, text_seq_len)`):
                Mask to avoid performing attention on padding text features. Mask values selected in `[0, 1]`:
                - 1 for queries that are real (i.e. **not masked**),
                - 0 for queries that are padding (i.e. **masked**).
        """
        return self.attn(queries, attention_mask=self_attn_mask)
