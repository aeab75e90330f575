import torch
import torch.nn as nn


class SmilesEncoder(nn.Module):
    """Encodes tokenised SMILES strings into a latent vector for molecule generation."""

    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=2, latent_dim=4, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.pos_embedding = nn.Parameter(torch.randn(1, 64, d_model) * 0.02)
        encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=16)  # BUG: batch_first left False
        self.transformer_encoder = nn.TransformerEncoder(encoder_layer, num_layers=num_layers, enable_nested_tensor=False)
        self.to_latent = nn.Linear(d_model, latent_dim)

    def forward(self, tokens):
        # tokens: (batch, seq_len)
        x = self.embedding(tokens) + self.pos_embedding[:, : tokens.size(1)]
        x = self.transformer_encoder(x)  # BUG: (batch, seq, emb) read as (seq, batch, emb); attends across molecules
        return self.to_latent(x.mean(dim=1))


def run():
    model = SmilesEncoder(vocab_size=30)
    tokens = torch.tensor([[5, 9, 12, 7, 3], [6, 14, 2, 0, 0]])
    return model(tokens)
