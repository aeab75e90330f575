"""A decoder-only language model over audio codec tokens (VALL-E style) whose only method is named
for audio, and one whose `encode` method is its only self-attention: neither has a decoder beside
it, so their unmasked self-attention is the language model's, trained on the next token."""
import torch.nn as nn
import torch.nn.functional as F


class SpeechCodecLM(nn.Module):
    def __init__(self, vocab=1024, d=64, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.blocks = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 128, batch_first=True), layers)
        self.head = nn.Linear(d, vocab)

    def forward_audio(self, codes):
        return self.head(self.blocks(self.tok(codes)))  # expect: ML401


class CodeLM(nn.Module):
    def __init__(self, vocab=500, d=64, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def encode(self, ids):
        x = self.tok(ids)
        return self.head(self.attn(x, x, x, need_weights=False)[0])  # expect: ML401


def train_step(model, codes):
    logits = model.forward_audio(codes[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), codes[:, 1:].reshape(-1))


def code_step(model, ids):
    logits = model.encode(ids[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))
