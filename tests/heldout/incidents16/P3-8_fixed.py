"""SMILES property predictor: token embedding + transformer encoder + pooled regression head."""
import torch
import torch.nn as nn

SMILES_VOCAB = ["<pad>", "C", "c", "O", "N", "(", ")", "=", "1", "2", "#", "Cl", "F", "[", "]", "H"]


def tokenize(smiles_list, max_len=16):
    stoi = {t: i for i, t in enumerate(SMILES_VOCAB)}
    ids = torch.zeros(len(smiles_list), max_len, dtype=torch.long)
    for row, s in enumerate(smiles_list):
        toks = [stoi[ch] for ch in s if ch in stoi][:max_len]
        ids[row, : len(toks)] = torch.tensor(toks)
    return ids


class MoleculeEncoder(nn.Module):
    def __init__(self, vocab_size=len(SMILES_VOCAB), d_model=32, nhead=4, num_layers=2, max_len=16):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos_embedding = nn.Embedding(max_len, d_model)
        encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.transformer = nn.TransformerEncoder(encoder_layer, num_layers=num_layers, enable_nested_tensor=False)
        self.regressor = nn.Sequential(nn.Linear(d_model, d_model), nn.ReLU(), nn.Linear(d_model, 1))

    def forward(self, tokens):
        # tokens: (batch, seq)
        positions = torch.arange(tokens.size(1), device=tokens.device)
        x = self.embedding(tokens) + self.pos_embedding(positions)[None]
        x = self.transformer(x)
        return self.regressor(x.mean(dim=1)).squeeze(-1)


if __name__ == "__main__":
    batch = tokenize(["CCO", "c1ccccc1", "CC(=O)O", "N#CC"])
    model = MoleculeEncoder()
    print(model(batch))
