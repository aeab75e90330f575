"""SMILES molecule generator in the style of DaoyuanLi2816/Molecule-Generator: a decoder-only
generator built from nn.TransformerEncoderLayer stacks over embedded token batches (B, S, E)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = ["<pad>", "<bos>", "<eos>", "C", "c", "O", "N", "(", ")", "=", "1", "2", "Cl", "F"]
PAD, BOS, EOS = 0, 1, 2


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab_size=len(VOCAB), d_model=32, nhead=4, num_layers=2, max_len=40):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos_embedding = nn.Embedding(max_len, d_model)
        encoder_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.1)  # BUG
        self.transformer = nn.TransformerEncoder(encoder_layer, num_layers, enable_nested_tensor=False)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        # tokens: (B, S)
        seq_len = tokens.size(1)
        x = self.embedding(tokens) + self.pos_embedding(torch.arange(seq_len))
        x = self.transformer(x)  # BUG
        return self.fc_out(x)


def collate_smiles(batch_tokens):
    max_len = max(len(t) for t in batch_tokens) + 2
    out = torch.full((len(batch_tokens), max_len), PAD, dtype=torch.long)
    for i, t in enumerate(batch_tokens):
        seq = [BOS] + t + [EOS]
        out[i, : len(seq)] = torch.tensor(seq)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeGenerator()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    smiles = [[3, 3, 5], [4, 4, 4, 4, 4, 4, 10], [3, 7, 9, 5, 8, 6], [12, 3, 3, 13]]
    batch = collate_smiles(smiles)
    logits = model(batch[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), batch[:, 1:].reshape(-1), ignore_index=PAD)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print("loss", loss.item())
