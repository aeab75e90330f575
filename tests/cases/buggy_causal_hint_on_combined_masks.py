"""is_causal=True (tgt_is_causal=True) next to a mask that holds padding as well as the causal part:
torch takes the hint to mean "just causal", and its training path runs a plain causal mask, so
the padding the mask also hides is attended.  SASRec-style left padding with the diagonal kept,
a decoder given an additive causal + padding mask, and MHA given a causal | padding block mask."""
import torch
import torch.nn as nn


class SeqRec(nn.Module):
    def __init__(self, items=50, d=32, heads=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(items, d, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d, heads, 64, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)

    def blocked(self, seqs):
        L = seqs.size(1)
        future = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        pad = (seqs == 0).unsqueeze(1)
        out = (future.unsqueeze(0) | pad) & ~torch.eye(L, dtype=torch.bool).unsqueeze(0)
        return out.repeat_interleave(self.heads, dim=0)

    def forward(self, seqs):
        return self.encoder(self.emb(seqs), mask=self.blocked(seqs), is_causal=True)  # expect: ML402


class Captioner(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, batch_first=True), 2)

    def forward(self, tokens, image_feats):
        T = tokens.size(1)
        causal = torch.full((T, T), float("-inf")).triu(1)
        pad = torch.zeros(tokens.shape).masked_fill(tokens == 0, float("-inf"))
        bias = (causal[None] + pad[:, None, :]).repeat_interleave(self.heads, 0)
        return self.decoder(self.tok(tokens), image_feats, tgt_mask=bias,  # expect: ML402
                            tgt_is_causal=True)


class Block(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, key_is_pad):
        T = x.size(1)
        block = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)[None] | key_is_pad[:, None, :]
        block = block.repeat_interleave(self.attn.num_heads, dim=0)
        return self.attn(x, x, x, attn_mask=block, is_causal=True, need_weights=False)[0]  # expect: ML402
