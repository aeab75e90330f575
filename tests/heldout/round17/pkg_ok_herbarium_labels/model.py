import torch
import torch.nn as nn
import torch.nn.functional as F

from .batching import PAD, LabelBatch


class LabelNormaliser(nn.Module):
    """Transcribed label text -> 'dwc:field value' token stream."""

    def __init__(self, src_vocab=6000, tgt_vocab=3000, dim=64, heads=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, dim, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(256, dim)
        self.transformer = nn.Transformer(dim, heads, layers, layers, 4 * dim, dropout=0.1,
                                          batch_first=True)
        self.out = nn.Linear(dim, tgt_vocab)

    def _embed(self, emb, ids):
        return emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, batch: LabelBatch):
        t = batch.tgt_in.size(1)
        causal = self.transformer.generate_square_subsequent_mask(
            t, device=batch.tgt_in.device, dtype=torch.bool
        )
        h = self.transformer(
            self._embed(self.src_emb, batch.src),
            self._embed(self.tgt_emb, batch.tgt_in),
            tgt_mask=causal,
            tgt_is_causal=True,
            src_key_padding_mask=batch.src_pad,
            tgt_key_padding_mask=batch.tgt_pad,
            memory_key_padding_mask=batch.src_pad,
        )
        return self.out(h)

    def loss(self, batch: LabelBatch):
        logits = self(batch)
        return F.cross_entropy(logits.transpose(1, 2), batch.tgt_out, ignore_index=PAD)
