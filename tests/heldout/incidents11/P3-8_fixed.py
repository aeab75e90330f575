import torch
import torch.nn as nn


class SmilesVocab:
    def __init__(self, chars="CNOSFcnos()=#123456789[]+-"):
        self.itos = ["<pad>", "<bos>", "<eos>"] + list(chars)
        self.stoi = {s: i for i, s in enumerate(self.itos)}

    def encode(self, smiles, max_len):
        ids = [1] + [self.stoi[c] for c in smiles] + [2]
        return ids + [0] * (max_len - len(ids))


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, max_len=32):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.transformer = nn.TransformerEncoder(encoder_layer, num_layers=num_layers, enable_nested_tensor=False)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        h = self.embedding(x) + self.pos[:, : x.size(1)]
        mask = nn.Transformer.generate_square_subsequent_mask(h.size(1))
        h = self.transformer(h, mask=mask, is_causal=True)
        return self.fc_out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab = SmilesVocab()
    model = MoleculeGenerator(len(vocab.itos)).eval()
    batch = torch.tensor([vocab.encode("CCO", 8), vocab.encode("c1ccccc1", 8)[:8], vocab.encode("CN", 8)])
    other = batch.clone()
    other[0] = torch.tensor(vocab.encode("CC(=O)O", 9)[:8])
    with torch.no_grad():
        a = model(batch)
        b = model(other)
    print(f"molecule 2 logits change when molecule 0 changes: {(a[2] - b[2]).abs().max().item():.3e}")
