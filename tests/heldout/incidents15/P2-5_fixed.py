import warnings

import torch


def generate_tgt_mask(sz):
    """Generate a square mask for the sequence."""
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
    return ~mask  # BUG


class PeptideDecoder(torch.nn.Module):
    def __init__(self, dim_model=16, n_head=2, dim_feedforward=32, n_layers=1, dropout=0.0, n_tokens=25):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(n_tokens, dim_model, padding_idx=0)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=dropout)
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, n_tokens)

    def forward(self, tokens, memory, memory_key_padding_mask):
        tgt_key_padding_mask = tokens == 0
        tgt = self.aa_encoder(tokens)
        tgt_mask = generate_tgt_mask(tgt.shape[1]).to(tgt.device)
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
    tokens = torch.tensor([[3, 7, 9, 2, 0], [4, 5, 6, 8, 1]])
    memory = torch.randn(2, 6, 16)
    memory_key_padding_mask = torch.zeros(2, 6, dtype=torch.bool)
    memory_key_padding_mask[0, -2:] = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scores = decoder(tokens, memory, memory_key_padding_mask)
    mismatched = [w for w in caught if "mismatched key_padding_mask" in str(w.message)]
    print(f"mismatched-mask deprecation warnings: {len(mismatched)}, finite scores: {bool(scores.isfinite().all())}")
