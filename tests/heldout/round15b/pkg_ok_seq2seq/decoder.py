import torch
from torch import nn


class Decoder(nn.Module):
    def __init__(self, vocab, d_model, nhead, layers, pad_id, max_len=64):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.stack = nn.TransformerDecoder(layer, layers)
        self.proj = nn.Linear(d_model, vocab)

    def forward(self, tgt, enc_out):
        T = tgt.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt.device), 1)
        y = self.emb(tgt) + self.pos(torch.arange(T, device=tgt.device))
        y = self.stack(y, enc_out["memory"], tgt_mask=causal, tgt_key_padding_mask=tgt.eq(self.pad_id),
                       memory_key_padding_mask=enc_out["padding"])
        return self.proj(y)
