"""Transformer decoder that writes peptide sequences conditioned on a spectrum embedding."""
import torch
import torch.nn as nn


def generate_tgt_mask(sz: int) -> torch.Tensor:
    """Causal mask for the decoder: 0 where allowed, -inf on the future."""
    return nn.Transformer.generate_square_subsequent_mask(sz)


class PeptideDecoder(nn.Module):
    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=2, dropout=0.0, n_tokens=24):
        super().__init__()
        self.aa_encoder = nn.Embedding(n_tokens, dim_model, padding_idx=0)
        self.pos_encoder = nn.Embedding(64, dim_model)
        self.charge_encoder = nn.Embedding(5, dim_model)
        layer = nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward,
            batch_first=True, dropout=dropout,
        )
        self.transformer_decoder = nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = nn.Linear(dim_model, n_tokens)

    def forward(self, tokens, precursor_charge, memory, memory_key_padding_mask):
        """tokens: (batch, len) amino acid ids with 0 = pad; memory: encoded spectrum peaks."""
        # the precursor is prepended as the first "token"
        precursor = self.charge_encoder(precursor_charge)[:, None, :]
        tgt = torch.cat([precursor, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
        tgt = tgt + self.pos_encoder(torch.arange(tgt.shape[1], device=tgt.device))
        tgt_mask = generate_tgt_mask(tgt.shape[1]).isinf().to(tgt.device)
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)
