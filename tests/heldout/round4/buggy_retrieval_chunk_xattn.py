"""RETRO-style chunked cross-attention. nbr_tokens[b*C + c] holds the neighbours
retrieved with chunk c-1 of sample b (the data pipeline already shifts them by one
chunk, so attending to them does not leak the chunk's own future).
Some chunks have fewer neighbours than K, so their neighbour slots are padded."""
import torch
import torch.nn as nn


class NeighbourEncoder(nn.Module):
    def __init__(self, vocab=32000, dim=512, layers=2, heads=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers)

    def forward(self, nbr_tokens):
        # nbr_tokens: (B*C, K*R) neighbour tokens flattened per chunk, 0 = padding
        return self.enc(self.emb(nbr_tokens), src_key_padding_mask=nbr_tokens.eq(0))


class ChunkedCrossAttention(nn.Module):
    def __init__(self, dim=512, heads=8, chunk=64):
        super().__init__()
        self.chunk = chunk
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, h, nbr_states, nbr_valid):
        # h: (B, C*chunk, dim); nbr_states: (B*C, K*R, dim); nbr_valid: (B*C, K*R) bool
        B, N, D = h.shape
        C = N // self.chunk
        q = self.norm(h).reshape(B * C, self.chunk, D)
        pad = 1.0 - nbr_valid.float()                      # 1.0 where there is no neighbour token
        out, _ = self.attn(
            q, nbr_states, nbr_states,
            key_padding_mask=pad,  # expect: ML201
            need_weights=False,
        )
        return h + out.reshape(B, N, D)


class RetroBlock(nn.Module):
    def __init__(self, dim=512, heads=8, chunk=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.cca = ChunkedCrossAttention(dim, heads, chunk)
        self.ln = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, h, nbr_states, nbr_valid):
        T = h.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=h.device), diagonal=1)
        x = self.ln(h)
        h = h + self.self_attn(x, x, x, attn_mask=causal, need_weights=False)[0]
        h = self.cca(h, nbr_states, nbr_valid)
        return h + self.ff(h)


if __name__ == "__main__":
    enc = NeighbourEncoder(vocab=100, dim=64, heads=4)
    blk = RetroBlock(dim=64, heads=4, chunk=8)
    nbr = torch.randint(1, 100, (2 * 4, 2 * 16))
    nbr[3, 16:] = 0                                        # chunk 3 found one neighbour only
    states = enc(nbr)
    print(blk(torch.randn(2, 32, 64), states, nbr.ne(0)).shape)
