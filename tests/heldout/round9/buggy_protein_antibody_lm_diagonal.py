"""Autoregressive antibody heavy-chain language model (amino-acid tokens)."""
import torch
import torch.nn as nn

AA = "ACDEFGHIKLMNPQRSTVWY"


class AntibodyLM(nn.Module):
    def __init__(self, d=32, heads=4, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(len(AA) + 2, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.head = nn.Linear(d, len(AA) + 2)

    def forward(self, ids):
        L = ids.size(1)
        x = self.tok(ids) + self.pos(torch.arange(L))
        no_peek = torch.triu(torch.ones(L, L, dtype=torch.bool))
        h, _ = self.attn(x, x, x, attn_mask=no_peek)  # expect: ML404
        return self.head(x + h)


def encode(seq):
    return torch.tensor([[AA.index(c) + 2 for c in seq]])


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = AntibodyLM()
    logits = lm(encode("EVQLVESGGGLVQPGG"))
    print("FAILURE SHOWN: NaN logits at positions",
          torch.isnan(logits[0]).any(-1).nonzero().flatten().tolist())
