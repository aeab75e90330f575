"""A speech-to-text decoder layer written like torch's own MHA (packed in-projection), with a
cross-attention to the audio encoder's output.  Only self-attention needs the causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.functional import _in_projection_packed


class PackedAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.in_proj_weight = nn.Parameter(torch.randn(3 * d, d) * d ** -0.5)
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d))
        self.out_proj = nn.Linear(d, d)

    def forward(self, query, key, value, causal=False):
        B, L, D = query.shape
        q, k, v = _in_projection_packed(query, key, value, self.in_proj_weight, self.in_proj_bias)
        q = q.view(B, -1, self.h, D // self.h).transpose(1, 2)
        k = k.view(B, -1, self.h, D // self.h).transpose(1, 2)
        v = v.view(B, -1, self.h, D // self.h).transpose(1, 2)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        return self.out_proj(o.transpose(1, 2).reshape(B, L, D))


class SpeechDecoder(nn.Module):
    def __init__(self, vocab=500, d=128, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.self_attn = PackedAttention(d, h)
        self.cross_attn = PackedAttention(d, h)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens, audio):
        x = self.emb(tokens)
        x = x + self.self_attn(x, x, x, causal=True)
        x = x + self.cross_attn(x, audio, audio)
        return self.head(x)

    @torch.no_grad()
    def greedy(self, audio, bos=1, n=10):
        ys = torch.full((audio.size(0), 1), bos)
        for _ in range(n):
            ys = torch.cat([ys, self(ys, audio)[:, -1:].argmax(-1)], 1)
        return ys


if __name__ == "__main__":
    m = SpeechDecoder()
    print(m.greedy(torch.randn(2, 30, 128), n=3).shape)
