"""The same encoder as a causal LM, made causal where it is one (a config flag), and as a
masked-LM, bidirectional on purpose."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def extended_causal_mask(attention_mask, dtype):
    n = attention_mask.shape[-1]
    allowed = torch.ones(n, n, dtype=torch.bool).tril()[None, None] & attention_mask[:, None, None, :].bool()
    return torch.zeros(allowed.shape, dtype=dtype).masked_fill(~allowed, torch.finfo(dtype).min)


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
        scores = q @ k.transpose(-1, -2) / (D // self.h) ** 0.5 + ext_mask
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, D)


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32, is_decoder=False):
        super().__init__()
        self.is_decoder = is_decoder
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([Layer(d) for _ in range(2)])

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.emb(input_ids)
        if self.is_decoder:
            ext = extended_causal_mask(attention_mask, h.dtype)
        else:
            ext = extended_padding_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, ext)
        return h


class EncoderForCausalLM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.model = Encoder(vocab, d, is_decoder=True)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.model(input_ids, attention_mask))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))


class EncoderForMaskedLM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.model = Encoder(vocab, d)
        self.head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.head(self.model(input_ids, attention_mask))
        return logits if labels is None else F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1))
