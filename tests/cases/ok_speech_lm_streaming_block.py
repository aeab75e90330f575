"""Correct: streaming speech model: a chunk/lookahead self-attention block inside a transducer LM-style decoder stack."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class StreamingAttention(nn.Module):
    """Self-attention over audio frames with `right_context` frames of lookahead (Emformer-like)."""
    def __init__(self, d=32, heads=4, right_context=1):
        super().__init__()
        self.heads = heads
        self.right_context = right_context
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(diagonal=2)  # hide beyond 1 frame ahead
        scores = (q @ k.transpose(-1, -2)) / (C // self.heads) ** 0.5
        scores = scores.masked_fill(mask, float("-inf"))
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)


class CausalSpeechLM(nn.Module):
    """Speech-to-text LM: audio frames (lookahead 1) then text tokens generated one by one."""
    def __init__(self, vocab=50, d=32):
        super().__init__()
        self.audio = StreamingAttention(d)
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoderLayer(d, 4, 64, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, frames, tokens):
        mem = self.audio(frames)
        x = self.emb(tokens)
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.shape[1])
        return self.head(self.dec(x, mem, tgt_mask=causal, tgt_is_causal=True))
