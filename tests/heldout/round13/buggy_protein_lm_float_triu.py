"""Autoregressive protein language model (ProtGPT-like), seq-first layout."""
import torch
import torch.nn as nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
BOS, EOS = 20, 21


def causal_block(sz: int) -> torch.Tensor:
    # 1 above the diagonal = future residue, hidden from the query
    return torch.triu(torch.ones(sz, sz), diagonal=1)


class ProteinLM(nn.Module):
    def __init__(self, d_model=256, nhead=8, num_layers=4, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(len(AMINO) + 2, d_model)
        self.pos = nn.Embedding(1024, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 1024, dropout)
        self.body = nn.TransformerEncoder(layer, num_layers)
        self.lm_head = nn.Linear(d_model, len(AMINO) + 2)

    def forward(self, residues):  # (S, N)
        S = residues.size(0)
        x = self.tok(residues) + self.pos(torch.arange(S, device=residues.device))[:, None]
        h = self.body(x, mask=causal_block(S))  # expect: ML202
        return self.lm_head(h)


def encode(seq):
    return torch.tensor([BOS] + [AMINO.index(a) for a in seq] + [EOS])


if __name__ == "__main__":
    import random

    torch.manual_seed(0)
    random.seed(0)
    seqs = ["".join(random.choice(AMINO) for _ in range(62)) for _ in range(4)]
    batch = torch.stack([encode(s) for s in seqs], dim=1)  # (64, 4)
    model = ProteinLM()
    logits = model(batch[:-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), batch[1:].reshape(-1))
    loss.backward()
    print("train nll", round(loss.item(), 4))
