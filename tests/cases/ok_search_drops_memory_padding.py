"""Search paths that pass the memory's padding, and one that has none to pass."""
import torch
import torch.nn as nn


class Captioner(nn.Module):
    def __init__(self, vocab=500, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    def forward(self, tokens, feats, feat_pad):
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.size(1))
        return self.out(self.dec(self.emb(tokens), feats, tgt_mask=causal, memory_key_padding_mask=feat_pad))

    @torch.no_grad()
    def beam_search(self, feats, feat_pad, beam=3, steps=10):
        ys = torch.ones(feats.size(0), 1, dtype=torch.long)
        for _ in range(steps):
            causal = nn.Transformer.generate_square_subsequent_mask(ys.size(1))
            h = self.dec(self.emb(ys), feats, tgt_mask=causal, memory_key_padding_mask=feat_pad)
            ys = torch.cat([ys, self.out(h[:, -1]).argmax(-1, keepdim=True)], 1)
        return ys

    @torch.no_grad()
    def caption_one(self, feats, steps=10):
        """One image at a time: its memory has no padding."""
        ys = torch.ones(1, 1, dtype=torch.long)
        for _ in range(steps):
            causal = nn.Transformer.generate_square_subsequent_mask(ys.size(1))
            h = self.dec(self.emb(ys), feats, tgt_mask=causal)
            ys = torch.cat([ys, self.out(h[:, -1]).argmax(-1, keepdim=True)], 1)
        return ys
