import torch


def generate_tgt_mask(sz: int) -> torch.Tensor:
    """Causal mask for the peptide decoder."""
    return ~torch.tril(torch.ones(sz, sz, dtype=torch.bool))


class PeptideDecoder(torch.nn.Module):
    def __init__(self, dim_model: int = 512, n_head: int = 8, dim_feedforward: int = 1024,
                 n_layers: int = 9, dropout: float = 0.0, n_tokens: int = 28, max_charge: int = 5):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(n_tokens, dim_model, padding_idx=0)
        self.charge_encoder = torch.nn.Embedding(max_charge, dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward,
            batch_first=True, dropout=dropout,
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, n_tokens)

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        masses = precursors[:, None, :1].expand(-1, 1, self.aa_encoder.embedding_dim)
        charges = self.charge_encoder(precursors[:, 1].int() - 1)[:, None, :]
        tgt = torch.cat([masses + charges, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(dim=2) == 0
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
    decoder = PeptideDecoder(n_layers=2)
    tokens = torch.tensor([[3, 7, 9, 0], [4, 4, 12, 5]])
    precursors = torch.tensor([[1013.5, 2.0], [870.4, 3.0]])
    memory = torch.randn(2, 50, 512)
    mem_pad = torch.zeros(2, 50, dtype=torch.bool)
    mem_pad[0, 40:] = True
    print(decoder(tokens, precursors, memory, mem_pad).shape)
