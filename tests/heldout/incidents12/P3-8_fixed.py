import torch
import torch.nn as nn

SMILES_CHARS = ["<pad>", "<bos>", "<eos>", "C", "c", "N", "O", "(", ")", "=", "1", "2", "F", "S", "n", "[", "]", "H", "#"]
stoi = {ch: i for i, ch in enumerate(SMILES_CHARS)}


class MoleculeVAEEncoder(nn.Module):
    def __init__(self, vocab_size=len(SMILES_CHARS), d_model=32, nhead=4, num_layers=2, latent_dim=8, max_len=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos_embedding = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        enc_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=num_layers, enable_nested_tensor=False)
        self.fc_mu = nn.Linear(d_model, latent_dim)
        self.fc_logvar = nn.Linear(d_model, latent_dim)

    def forward(self, src):
        x = self.embedding(src) + self.pos_embedding[:, : src.size(1)]
        h = self.encoder(x)
        pooled = h.mean(dim=1)
        return self.fc_mu(pooled), self.fc_logvar(pooled)


def encode(smiles, max_len=12):
    ids = [stoi["<bos>"]] + [stoi[c] for c in smiles] + [stoi["<eos>"]]
    return ids + [stoi["<pad>"]] * (max_len - len(ids))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeVAEEncoder().eval()
    batch = torch.tensor([encode("CCO"), encode("c1ccNc1"), encode("CC(=O)N")])
    other = batch.clone()
    other[1:] = torch.tensor([encode("CCF"), encode("N#CC")])
    with torch.no_grad():
        d = (model(batch)[0][0] - model(other)[0][0]).abs().max().item()
    print(f"molecule 0 latent mean changes when the other molecules in the batch change = {d:.4f}")
