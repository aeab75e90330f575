"""Sequence-first LM (batch_first=False from config): the causal mask is sized from dim 0."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LMConfig:
    vocab: int = 50
    d_model: int = 32
    nhead: int = 4
    layers: int = 2
    batch_first: bool = False


class SeqFirstLM(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.emb = nn.Embedding(cfg.vocab, cfg.d_model)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 64, 0.0, batch_first=cfg.batch_first)
        self.encoder = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.head = nn.Linear(cfg.d_model, cfg.vocab)

    def forward(self, tokens):
        x = self.emb(tokens)  # (S, N, E)
        n = x.size(0)
        causal = torch.triu(torch.full((n, n), float("-inf"), device=x.device), diagonal=1)
        return self.head(self.encoder(x, mask=causal))


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = SeqFirstLM(LMConfig()).train()
    t = torch.randint(0, 50, (7, 3))
    t2 = t.clone(); t2[-1] = (t2[-1] + 1) % 50
    assert torch.allclose(lm(t)[:-1], lm(t2)[:-1], atol=1e-5)
    print("causal ok")
