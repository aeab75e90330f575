import warnings

import torch


def generate_tgt_mask(sz):
    return torch.triu(torch.ones(sz, sz, dtype=torch.bool), diagonal=1)


class _PeptideTransformer(torch.nn.Module):
    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=1, dropout=0.0, max_charge=5, vocab=26):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(vocab, dim_model, padding_idx=0)
        self.charge_encoder = torch.nn.Embedding(max_charge, dim_model)
        self.pos = torch.nn.Parameter(torch.randn(1, 64, dim_model) * 0.02)


class PeptideDecoder(_PeptideTransformer):
    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=1, dropout=0.0, vocab=26):
        super().__init__(dim_model, n_head, dim_feedforward, n_layers, dropout, vocab=vocab)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=dropout
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, vocab)

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        masses, charges = precursors[:, 0], precursors[:, 1].long()
        precursor = self.charge_encoder(charges - 1)[:, None, :] + masses[:, None, None] * 0.0
        tgt = torch.cat([precursor, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(dim=2) == 0
        tgt = tgt + self.pos[:, : tgt.shape[1]]
        tgt_mask = generate_tgt_mask(tgt.shape[1])
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
    tokens = torch.tensor([[3, 7, 9, 0], [4, 2, 8, 11]])
    precursors = torch.tensor([[500.2, 2.0], [812.4, 3.0]])
    memory = torch.randn(2, 6, 32)
    mem_mask = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decoder(tokens, precursors, memory, mem_mask)
    n = sum("mismatched key_padding_mask and attn_mask" in str(w.message) for w in caught)
    print(f"mismatched-mask deprecation warnings: {n}")
