import torch


def generate_tgt_mask(sz):
    """Generate a square mask for the sequence."""
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)  # BUG
    mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))  # BUG
    return mask


class PeptideDecoder(torch.nn.Module):
    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=2, n_tokens=28, max_charge=5):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(n_tokens + 1, dim_model, padding_idx=0)
        self.charge_encoder = torch.nn.Embedding(max_charge, dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=0.0
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, n_tokens)

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        masses = precursors[:, None, :1].expand(-1, 1, self.aa_encoder.embedding_dim)
        charges = self.charge_encoder(precursors[:, 1].int() - 1)[:, None, :]
        tgt = torch.cat([masses + charges, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
        tgt_mask = generate_tgt_mask(tgt.shape[1]).type_as(precursors)  # BUG
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,  # BUG
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)


if __name__ == "__main__":
    dec = PeptideDecoder()
    tokens = torch.randint(1, 29, (2, 7))
    tokens[1, 5:] = 0
    precursors = torch.tensor([[500.3, 2.0], [812.1, 3.0]])
    memory = torch.randn(2, 11, 32)
    mem_mask = torch.zeros(2, 11, dtype=torch.bool)
    mem_mask[0, 9:] = True
    print(dec(tokens, precursors, memory, mem_mask).shape)
