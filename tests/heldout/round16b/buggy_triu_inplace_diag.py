import torch
import torch.nn as nn
import torch.nn.functional as F


class SMILESGenerator(nn.Module):
    """Character-level SMILES language model for de novo molecule generation."""

    def __init__(self, vocab_size=64, d_model=64, nhead=4, num_layers=2, max_len=100, bos=1, eos=2):
        super().__init__()
        self.bos, self.eos = bos, eos
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.transformer = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.fc = nn.Linear(d_model, vocab_size)

    @staticmethod
    def square_mask(sz, device=None):
        mask = torch.full((sz, sz), float("-inf"), device=device)
        mask.triu_()  # expect: ML404
        return mask

    def forward(self, tokens):
        n = tokens.size(1)
        h = self.tok(tokens) + self.pos(torch.arange(n, device=tokens.device))
        h = self.transformer(h, mask=self.square_mask(n, tokens.device))
        return self.fc(h)

    def nll(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))

    @torch.no_grad()
    def sample(self, n, max_len=40):
        seqs = torch.full((n, 1), self.bos, dtype=torch.long)
        for _ in range(max_len):
            probs = self(seqs)[:, -1].softmax(-1)
            seqs = torch.cat([seqs, torch.multinomial(probs, 1)], 1)
        return seqs


if __name__ == "__main__":
    model = SMILESGenerator()
    batch = torch.randint(3, 64, (8, 30))
    print(model.nll(batch).item())
