import warnings

import torch


def generate_tgt_mask(sz):
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
    mask = ~mask
    return mask


class PeptideDecoder(torch.nn.Module):
    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=2, dropout=0.0, n_tokens=25, max_charge=5):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(n_tokens, dim_model, padding_idx=0)
        self.charge_encoder = torch.nn.Embedding(max_charge, dim_model)
        layer = torch.nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=dropout
        )
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, n_tokens)

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        masses = self.charge_encoder(precursors[:, 1].long())[:, None, :]
        tgt = torch.cat([masses, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
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
    decoder = PeptideDecoder().train()
    tokens = torch.tensor([[3, 7, 9, 2, 0], [4, 4, 8, 0, 0]])
    precursors = torch.tensor([[512.3, 2.0], [701.9, 3.0]])
    memory = torch.randn(2, 6, 32)
    mem_mask = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = decoder(tokens, precursors, memory, mem_mask)
    msgs = [str(w.message) for w in caught if "mismatched" in str(w.message)]
    print(f"mismatched-mask warnings: {len(msgs)}{' (' + msgs[0][:60] + ')' if msgs else ''}; out {tuple(out.shape)}")
