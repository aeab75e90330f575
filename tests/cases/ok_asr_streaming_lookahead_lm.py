"""Correct: a streaming ASR model (encoder with 2 frames of lookahead, autoregressive text decoder)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ASRTransformer(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4, lookahead=2):
        super().__init__()
        self.heads = heads
        self.lookahead = 2
        self.enc_qkv = nn.Linear(d, 3 * d)
        self.dec_emb = nn.Embedding(vocab, d)
        self.dec_qkv = nn.Linear(d, 3 * d)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def _split(self, t, B, T):
        return t.view(B, T, self.heads, -1).transpose(1, 2)

    def encode(self, feats):
        B, T, C = feats.shape
        q, k, v = (self._split(t, B, T) for t in self.enc_qkv(feats).chunk(3, -1))
        # streaming: each frame sees the past and 2 future frames
        visible = torch.ones(T, T, dtype=torch.bool, device=feats.device).tril(diagonal=2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visible)
        return y.transpose(1, 2).reshape(B, T, C)

    def decode(self, tokens, memory):
        x = self.dec_emb(tokens)
        B, U, C = x.shape
        q, k, v = (self._split(t, B, U) for t in self.dec_qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, U, C)
        y, _ = self.cross(y, memory, memory)
        return self.out(y)

    def forward(self, feats, tokens):
        return self.decode(tokens, self.encode(feats))

    @torch.no_grad()
    def greedy(self, feats, bos=1, steps=10):
        memory = self.encode(feats)
        ys = torch.full((feats.shape[0], 1), bos, dtype=torch.long)
        for _ in range(steps):
            nxt = self.decode(ys, memory)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
        return ys
