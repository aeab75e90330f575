"""Transformer-base NMT (pre-norm) assembled from nn.TransformerEncoder and
nn.TransformerDecoder, with greedy search.  Masks: source padding for encoder
self-attention AND for decoder cross-attention (memory_key_padding_mask), a
boolean causal mask for decoder self-attention (is_causal hint matches it)."""
import math

import torch
import torch.nn as nn

PAD, BOS, EOS = 1, 0, 2


class NMT(nn.Module):
    def __init__(self, vocab=500, d=64, h=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(256, d)
        el = nn.TransformerEncoderLayer(d, h, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        dl = nn.TransformerDecoderLayer(d, h, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(el, layers, norm=nn.LayerNorm(d), enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dl, layers, norm=nn.LayerNorm(d))
        self.proj = nn.Linear(d, vocab)

    def embed(self, ids):
        return self.emb(ids) * math.sqrt(self.emb.embedding_dim) + self.pos(torch.arange(ids.size(1)))

    def encode(self, src):
        src_pad = src.eq(PAD)
        return self.encoder(self.embed(src), src_key_padding_mask=src_pad), src_pad

    def decode(self, prev, memory, src_pad):
        T = prev.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        h = self.decoder(
            self.embed(prev), memory,
            tgt_mask=causal, tgt_is_causal=True,
            tgt_key_padding_mask=prev.eq(PAD),
            memory_key_padding_mask=src_pad,
        )
        return self.proj(h)

    @torch.no_grad()
    def translate(self, src, max_len=10):
        memory, src_pad = self.encode(src)
        out = torch.full((src.size(0), 1), BOS)
        for _ in range(max_len):
            nxt = self.decode(out, memory, src_pad)[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = NMT().eval()
    src = torch.randint(3, 500, (2, 14))
    src[1, 8:] = PAD
    hyp = model.translate(src)
    hyp_solo = model.translate(src[1:, :8])
    assert torch.equal(hyp[1], hyp_solo[0]), "source padding changed the translation"
    with torch.no_grad():
        mem, sp = model.encode(src)
        a = model.decode(hyp, mem, sp)
        hyp2 = hyp.clone()
        hyp2[:, 6:] = 5
        b = model.decode(hyp2, mem, sp)
        solo = model.decode(hyp[1:], *model.encode(src[1:, :8]))
    assert torch.allclose(a[:, :6], b[:, :6], atol=1e-5)
    assert torch.allclose(a[1], solo[0], atol=1e-4), "cross-attention saw source padding"
    print("OK: memory_key_padding_mask = source padding; decoder causal")
