"""A speech-to-text decoder layer written like torch's own MHA (separate projections, map over heads), with a
cross-attention to the audio encoder's output.  Only self-attention needs the causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PackedAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)

    def split_heads(self, t):
        return t.view(t.size(0), -1, self.h, t.size(-1) // self.h).transpose(1, 2)

    def forward(self, query, key, value, causal=False):
        B, L, D = query.shape
        q, k, v = map(self.split_heads, (self.q_proj(query), self.k_proj(key), self.v_proj(value)))
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
