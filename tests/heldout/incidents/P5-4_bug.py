import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=128):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).unsqueeze(1).float()
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class MoleculeTransformer(nn.Module):
    """Scaffold -> molecule SMILES generator."""

    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=1, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.pos_encoder = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=num_layers,
                                          num_decoder_layers=num_layers, dim_feedforward=16, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        tgt_mask = torch.triu(torch.ones(tgt.size(1), tgt.size(1), dtype=torch.bool, device=tgt.device), diagonal=1)
        src_emb = self.pos_encoder(self.embedding(src))
        tgt_emb = self.pos_encoder(self.embedding(tgt))
        output = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask)  # BUG: padded SMILES tokens attended (no key padding masks)
        return self.fc_out(output)


def run():
    model = MoleculeTransformer(vocab_size=32)
    src = torch.tensor([[5, 8, 9, 12, 3], [6, 7, 3, 0, 0]])
    tgt = torch.tensor([[1, 14, 15, 16], [1, 17, 0, 0]])
    return model(src, tgt)
