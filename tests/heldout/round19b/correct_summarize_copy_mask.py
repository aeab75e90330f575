"""Sentence scorer for extractive summarisation with a reusable mask buffer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, ffn):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.o = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, ffn), nn.GELU(), nn.Linear(ffn, hidden))
        self.ln2 = nn.LayerNorm(hidden)
        self.register_buffer("_ext", torch.empty(0), persistent=False)

    def extended_mask(self, attention_mask, dtype):
        B, S = attention_mask.shape
        if self._ext.shape != (B, 1, 1, S) or self._ext.dtype != dtype:
            self._ext = torch.empty(B, 1, 1, S, dtype=dtype, device=attention_mask.device)
        self._ext.copy_(attention_mask[:, None, None, :])
        self._ext.sub_(1.0).mul_(torch.finfo(dtype).max)
        return self._ext

    def forward(self, x, attention_mask):
        B, S, H = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, H // self.heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=self.extended_mask(attention_mask, q.dtype))
        x = self.ln1(x + self.o(a.transpose(1, 2).reshape(B, S, H)))
        return self.ln2(x + self.ffn(x))


class SentenceScorer(nn.Module):
    def __init__(self, vocab_size=3000, hidden=64, heads=4, layers=2, cls_id=1, pad_id=0):
        super().__init__()
        self.cls_id = cls_id
        self.tokens = nn.Embedding(vocab_size, hidden, padding_idx=pad_id)
        self.positions = nn.Embedding(512, hidden)
        self.layers = nn.ModuleList(EncoderLayer(hidden, heads, 4 * hidden) for _ in range(layers))
        self.score = nn.Linear(hidden, 1)

    def forward(self, input_ids, attention_mask):
        h = self.tokens(input_ids) + self.positions(torch.arange(input_ids.size(1), device=input_ids.device))
        for layer in self.layers:
            h = layer(h, attention_mask)
        logits = self.score(h).squeeze(-1)
        return logits.masked_fill(input_ids != self.cls_id, float("-inf"))
