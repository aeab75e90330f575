import warnings

import torch
import torch.nn as nn


class TransformerModel(nn.Module):
    def __init__(self, ntoken=30, ninp=8, nhead=2, nhid=16, nlayers=1, dropout=0.0, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.encoder = nn.Embedding(ntoken, ninp, padding_idx=pad_idx)
        encoder_layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers)
        self.decoder = nn.Linear(ninp, ntoken)

    def forward(self, src):
        # src: (S, N) token ids
        src_key_padding_mask = (src == self.pad_idx).t()  # BUG
        output = self.transformer_encoder(self.encoder(src), src_key_padding_mask=src_key_padding_mask)
        return self.decoder(output)


def batchify(seqs, pad_idx=0):
    S = max(len(s) for s in seqs)
    out = torch.full((S, len(seqs)), pad_idx, dtype=torch.long)
    for j, s in enumerate(seqs):
        out[: len(s), j] = torch.tensor(s)
    return out


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message="enable_nested_tensor")
    torch.manual_seed(0)
    model = TransformerModel().eval()
    square = batchify([[3, 4, 5], [6], [8, 9]])
    with torch.no_grad():
        out = model(square)
        unpadded = [batchify([s]) for s in [[3, 4, 5], [6], [8, 9]]]
        ref = torch.cat([model.decoder(model.transformer_encoder(model.encoder(u)))[:, 0] for u in unpadded])
        real = (square != 0).t().reshape(-1)
        err = (out.transpose(0, 1).reshape(-1, out.size(-1))[real] - ref).abs().max().item()
        try:
            model(batchify([[9, 10]]))
            single = "ok"
        except (AssertionError, RuntimeError) as exc:
            single = f"{type(exc).__name__}: {exc}"
    print(f"3x3 batch vs per-sentence max diff={err:.4f}; batch of 1 -> {single}")
