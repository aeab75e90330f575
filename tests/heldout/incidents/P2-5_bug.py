import torch


class PeptideDecoder(torch.nn.Module):
    """Decode peptide sequences from encoded mass spectra."""

    def __init__(self, dim_model=8, n_head=2, dim_feedforward=16, n_layers=1, dropout=0.0, n_tokens=25):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(n_tokens + 1, dim_model, padding_idx=0)
        self.mass_encoder = torch.nn.Linear(1, dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=dropout)
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, n_tokens + 1)

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        # tokens: (batch, len) amino-acid indices, 0 = padding
        masses = self.mass_encoder(precursors[:, None, :1])
        tgt = torch.cat([masses, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
        tgt_key_padding_mask[:, 0] = False
        tgt_mask = generate_tgt_mask(tgt.shape[1]).to(tgt.device)
        preds = self.transformer_decoder(  # BUG: float tgt_mask mixed with bool key padding masks
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)


def generate_tgt_mask(sz):
    """Causal mask for the decoder."""
    return torch.nn.Transformer.generate_square_subsequent_mask(sz)  # BUG: float 0/-inf mask


def run():
    decoder = PeptideDecoder()
    tokens = torch.tensor([[3, 5, 7, 2], [4, 6, 0, 0]])
    precursors = torch.tensor([[500.2, 2.0], [612.8, 3.0]])
    memory = torch.randn(2, 5, 8)
    memory_key_padding_mask = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
    return decoder(tokens, precursors, memory, memory_key_padding_mask)
