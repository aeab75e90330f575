"""Conditional autoregressive protein generator (ProGen flavour): a control tag
(protein family) is prepended to the residue sequence, and a causal
transformer models p(residue_t | tag, residues_<t)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
N_TAGS = 4


def causal_blocking(n):
    return torch.triu(torch.ones(n, n), diagonal=0).bool()


class ProteinGenerator(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_len=40):
        super().__init__()
        self.tag = nn.Embedding(N_TAGS, d)
        self.res = nn.Embedding(len(AA) + 1, d)  # + BOS
        self.pos = nn.Embedding(max_len, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.lm = nn.Linear(d, len(AA))

    def forward(self, tags, residues):
        x = torch.cat([self.tag(tags)[:, None], self.res(residues)], dim=1)
        n = x.size(1)
        x = x + self.pos(torch.arange(n))
        h = self.body(
            x,
            mask=causal_blocking(n),  # expect: ML404
        )
        return self.lm(h[:, :-1])

    @torch.no_grad()
    def sample(self, tag, length=6):
        residues = torch.full((1, 1), len(AA))
        for _ in range(length):
            logits = self(tag, residues)[:, -1]
            residues = torch.cat([residues, torch.multinomial(F.softmax(logits, -1), 1)], 1)
        return "".join(AA[i] for i in residues[0, 1:])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ProteinGenerator().eval()
    tags = torch.tensor([1, 2])
    residues = torch.randint(0, len(AA), (2, 8))
    with torch.no_grad():
        logits = model(tags, residues)
    print("eval logits NaN:", torch.isnan(logits).any().item())
    try:
        print("sample:", model.sample(tags[:1]))
    except RuntimeError as e:
        print("sampling failed:", e)
