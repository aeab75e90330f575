"""Molecule-Generator style SMILES encoder: embeddings are (batch, seq, dim)
but the encoder layer is created with the default batch_first=False, so
attention runs across the molecules of a batch at each position."""
import torch
import torch.nn as nn


class MoleculeEncoder(nn.Module):
    def __init__(self, vocab_size=40, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(encoder_layer, num_layers=num_layers, enable_nested_tensor=False)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, smiles_tokens):  # (batch, seq)
        x = self.embedding(smiles_tokens)
        return self.fc_out(self.encoder(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeEncoder()
    batch = torch.randint(1, 40, (3, 7))
    batch2 = batch.clone(); batch2[1:] = torch.randint(1, 40, (2, 7))
    a, b = model(batch)[0], model(batch2)[0]
    print("molecule-0 change when other molecules change:", (a - b).abs().max().item())
