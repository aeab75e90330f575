"""A BERT-style encoder reused as a causal LM (catalogue P4-9): the encoder always builds the
bidirectional padding mask, even under a next-token loss.  The scores are masked in one step,
taken on two paths (with and without a caller's mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def extended_padding_mask(attention_mask, dtype):
    inverted = 1.0 - attention_mask[:, None, None, :].to(dtype)
    return inverted.masked_fill(inverted.bool(), torch.finfo(dtype).min)


class Layer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, ext_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (D // self.h) ** 0.5 + ext_mask  # expect: ML401
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, D)


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([Layer(d) for _ in range(2)])

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.emb(input_ids)
        ext = extended_padding_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, ext)
        return h


class EncoderForCausalLM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.model = Encoder(vocab, d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.model(input_ids, attention_mask))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
