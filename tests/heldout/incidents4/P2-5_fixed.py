import torch


class PositionalEncoder(torch.nn.Module):
    def __init__(self, dim_model, max_len=200):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, dim_model, 2) * (-torch.log(torch.tensor(10000.0)) / dim_model))
        pe = torch.zeros(max_len, dim_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.shape[1]]


class _PeptideTransformer(torch.nn.Module):
    def __init__(self, dim_model, n_head, dim_feedforward, n_layers, dropout, vocab_size):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(vocab_size, dim_model, padding_idx=0)
        self.pos_encoder = PositionalEncoder(dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=dropout
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, vocab_size)


def generate_tgt_mask(sz):
    return torch.triu(torch.ones(sz, sz, dtype=torch.bool), diagonal=1)


class PeptideDecoder(_PeptideTransformer):
    def __init__(self, dim_model=64, n_head=4, dim_feedforward=128, n_layers=1, dropout=0.0, vocab_size=28):
        super().__init__(dim_model, n_head, dim_feedforward, n_layers, dropout, vocab_size)
        self.mass_encoder = torch.nn.Linear(1, dim_model)

    def _prepare(self, tokens, precursors):
        masses = self.mass_encoder(precursors[:, None, :1])
        tgt = torch.cat([masses, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(dim=2) == 0
        tgt_key_padding_mask[:, 1:] = tokens == 0
        tgt_mask = generate_tgt_mask(tgt.shape[1]).to(tgt.device)
        return self.pos_encoder(tgt), tgt_mask, tgt_key_padding_mask

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        tgt, tgt_mask, tgt_key_padding_mask = self._prepare(tokens, precursors)
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)
