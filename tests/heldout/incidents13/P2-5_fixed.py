import warnings

import torch


class PeptideDecoder(torch.nn.Module):
    """Autoregressive amino-acid decoder conditioned on encoded mass spectra."""

    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=2, vocab=24, max_charge=4):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(vocab, dim_model, padding_idx=0)
        self.charge_encoder = torch.nn.Embedding(max_charge, dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=0.0
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, vocab)

    def forward(self, tokens, precursor_charge, memory, memory_key_padding_mask):
        precursors = self.charge_encoder(precursor_charge)[:, None, :]
        tgt = torch.cat([precursors, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(dim=2) == 0
        tgt_mask = generate_tgt_mask(tgt.shape[1])
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)


def generate_tgt_mask(sz):
    return torch.triu(torch.ones((sz, sz), dtype=torch.bool), diagonal=1)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    decoder = PeptideDecoder()
    tokens = torch.tensor([[3, 7, 9, 0], [5, 2, 11, 8]])
    charge = torch.tensor([2, 3])
    memory = torch.randn(2, 6, 32)
    mem_pad = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = decoder(tokens, charge, memory, mem_pad)
        t2 = tokens.clone()
        t2[:, 2:] = 4
        leak = (decoder(t2, charge, memory, mem_pad)[:, :3] - out[:, :3]).abs().max().item()
    mismatched = sum("mismatched key_padding_mask" in str(w.message) for w in caught)
    print(f"mismatched-mask deprecation warnings = {mismatched}; future leak = {leak:.4f}")
