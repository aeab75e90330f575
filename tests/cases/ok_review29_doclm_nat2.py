"""Mask-predict (CMLM): a non-autoregressive model that fills in all target tokens in parallel
and refines the least confident ones; unlike autoregressive decoders it attends both ways."""
import torch
import torch.nn as nn


class MaskPredict(nn.Module):
    def __init__(self, vocab, d_model=512, nhead=8, nlayers=6):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, batch_first=True), nlayers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tgt_ids):
        h = self.blocks(self.embed(tgt_ids), src_key_padding_mask=tgt_ids.eq(0))
        return self.out(h)
