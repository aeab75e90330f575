import torch
from torch import nn

from .batching import PAD, Batch


class Transliterator(nn.Module):
    def __init__(self, vocab=64, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(128, d_model)
        self.core = nn.Transformer(d_model, nhead, layers, layers, 2 * d_model, 0.0, batch_first=True)
        self.out = nn.Linear(d_model, vocab)

    def _pos(self, n, device):
        return self.pos(torch.arange(n, device=device))

    def forward(self, b: Batch):
        src = self.src_emb(b.src) + self._pos(b.src.size(1), b.src.device)
        tgt = self.tgt_emb(b.tgt_in) + self._pos(b.tgt_in.size(1), b.tgt_in.device)
        causal = self.core.generate_square_subsequent_mask(b.tgt_in.size(1), dtype=torch.bool)
        h = self.core(
            src,
            tgt,
            tgt_mask=causal,
            src_key_padding_mask=b.src_pad,
            tgt_key_padding_mask=b.tgt_pad,
            memory_key_padding_mask=b.tgt_pad,  # expect: ML503
        )
        return self.out(h)
