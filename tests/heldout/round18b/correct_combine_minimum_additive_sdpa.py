"""Streaming speech recognizer: chunked attention for the encoder, causal+padding for the text decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def chunk_block_mask(T, chunk, device=None):
    idx = torch.arange(T, device=device) // chunk
    return (idx[None, :] > idx[:, None]).float()


class ChunkedEncoder(nn.Module):
    def __init__(self, d, h, chunk=4):
        super().__init__()
        self.h, self.chunk = h, chunk
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, feats, feat_pad):
        N, T, _ = feats.shape
        future_chunks = chunk_block_mask(T, self.chunk, feats.device)
        blocked = torch.maximum(future_chunks[None], feat_pad[:, None, :].float()).bool()
        blocked = blocked.repeat_interleave(self.h, dim=0)
        y, _ = self.mha(feats, feats, feats, attn_mask=blocked, need_weights=False)
        return self.norm(feats + y)


class TextDecoder(nn.Module):
    def __init__(self, vocab, d, h):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.cross = nn.MultiheadAttention(d, h, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def forward(self, tokens, tok_pad, memory, mem_pad):
        B, L = tokens.shape
        x = self.emb(tokens)
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        causal_bias = torch.zeros(L, L, device=x.device).masked_fill(torch.ones(L, L, dtype=torch.bool, device=x.device).triu(1), float("-inf"))
        pad_bias = torch.zeros(B, 1, 1, L, device=x.device).masked_fill(tok_pad[:, None, None, :], float("-inf"))
        bias = torch.minimum(causal_bias, pad_bias)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = x + y.transpose(1, 2).reshape(B, L, -1)
        x = x + self.cross(x, memory, memory, key_padding_mask=mem_pad, need_weights=False)[0]
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc, dec = ChunkedEncoder(32, 4), TextDecoder(100, 32, 4)
    feats = torch.randn(2, 12, 32)
    feat_pad = torch.zeros(2, 12, dtype=torch.bool)
    feat_pad[1, 9:] = True
    memory = enc(feats, feat_pad)
    tokens = torch.randint(1, 100, (2, 7))
    tok_pad = torch.zeros(2, 7, dtype=torch.bool)
    tok_pad[0, 5:] = True
    logits = dec(tokens, tok_pad, memory, feat_pad)
    print(tuple(logits.shape), "nan", bool(logits[~tok_pad].isnan().any()))
