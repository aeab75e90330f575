"""Peptide sequence decoder conditioned on an encoded mass spectrum."""
import torch
import torch.nn as nn


class PeptideDecoder(nn.Module):
    def __init__(self, dim_model=128, n_head=8, dim_feedforward=512, n_layers=2, dropout=0.0,
                 vocab_size=28, max_charge=10):
        super().__init__()
        self.aa_encoder = nn.Embedding(vocab_size, dim_model, padding_idx=0)
        self.charge_encoder = nn.Embedding(max_charge, dim_model)
        self.pos_encoder = nn.Embedding(256, dim_model)
        layer = nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=dropout
        )
        self.transformer_decoder = nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = nn.Linear(dim_model, vocab_size)

    def forward(self, tokens, precursor_charge, memory, memory_key_padding_mask):
        """tokens: (B, L) amino-acid ids, 0 = pad; memory: (B, P, D) encoded peaks."""
        batch, length = tokens.shape
        precursor = self.charge_encoder(precursor_charge)[:, None, :]
        tgt = torch.cat([precursor, self.aa_encoder(tokens)], dim=1)
        tgt = tgt + self.pos_encoder(torch.arange(length + 1, device=tokens.device))
        tgt_key_padding_mask = torch.cat(
            [torch.zeros(batch, 1, dtype=torch.bool, device=tokens.device), tokens == 0], dim=1
        )
        tgt_mask = torch.triu(
            torch.ones(length + 1, length + 1, dtype=torch.bool, device=tokens.device), diagonal=1
        )
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)
