"""Transformer decoder for de novo peptide sequencing, depthcharge style."""
import warnings

import torch


def generate_tgt_mask(sz):
    """Generate a square mask for the sequence."""
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
    mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))  # BUG
    return mask


class PeptideDecoder(torch.nn.Module):
    def __init__(self, dim_model=8, n_head=2, dim_feedforward=16, n_layers=1, n_tokens=24, max_charge=5):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(n_tokens, dim_model, padding_idx=0)
        self.charge_encoder = torch.nn.Embedding(max_charge, dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=0.0
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, n_tokens)

    @property
    def device(self):
        return next(self.parameters()).device

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        charges = precursors[:, 1].int() - 1
        precursors = self.charge_encoder(charges)[:, None, :]
        tgt = torch.cat([precursors, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
        tgt_mask = generate_tgt_mask(tgt.shape[1]).to(self.device)
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)


if __name__ == "__main__":
    torch.manual_seed(0)
    decoder = PeptideDecoder()
    tokens = torch.tensor([[3, 7, 9, 0], [5, 2, 0, 0]])
    precursors = torch.tensor([[500.0, 2.0], [800.0, 3.0]])
    memory = torch.randn(2, 6, 8)
    memory_key_padding_mask = torch.zeros(2, 6, dtype=torch.bool)
    memory_key_padding_mask[1, 4:] = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scores = decoder(tokens, precursors, memory, memory_key_padding_mask)
    n = sum("mismatched key_padding_mask and attn_mask" in str(w.message) for w in caught)
    print(f"mismatched-mask deprecation warnings: {n} (nan in scores: {int(torch.isnan(scores).sum())})")
