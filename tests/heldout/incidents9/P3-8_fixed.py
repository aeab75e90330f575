import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=128):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(max_len).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):  # x: (batch, seq, d_model)
        return x + self.pe[: x.size(1)]


class SmilesEncoder(nn.Module):
    """Encodes fixed-length SMILES token windows into a latent vector per molecule."""

    def __init__(self, vocab_size=40, d_model=32, nhead=4, num_layers=2, latent_dim=8):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.to_mu = nn.Linear(d_model, latent_dim)

    def forward(self, tokens):  # tokens: (batch, seq)
        h = self.encoder(self.pos(self.embed(tokens)))
        return self.to_mu(h.mean(dim=1))


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SmilesEncoder().eval()
    batch = torch.randint(1, 40, (4, 12))
    with torch.no_grad():
        together = enc(batch)
        first_alone = enc(batch[:1])
    print(together.shape)
    print("molecule 0, encoded with the batch vs alone:", (together[0] - first_alone[0]).abs().max().item())
