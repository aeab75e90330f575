"""Language model whose layout (batch_first or not) is a config switch."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LMConfig:
    vocab: int = 100
    d_model: int = 32
    nhead: int = 4
    layers: int = 2
    batch_first: bool = False
    causal: bool = True


class SeqFirstLM(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab, cfg.d_model)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 64, 0.0, batch_first=cfg.batch_first)
        self.encoder = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.head = nn.Linear(cfg.d_model, cfg.vocab)

    def forward(self, tokens):
        # tokens: (S, N) because batch_first=False
        x = self.emb(tokens)
        n = x.size(1)
        causal = torch.triu(torch.full((n, n), float("-inf"), device=x.device), diagonal=1)
        h = self.encoder(
            x,
            mask=causal,  # expect: ML303
        )
        return self.head(h)


if __name__ == "__main__":
    lm = SeqFirstLM(LMConfig())
    tokens = torch.randint(0, 100, (7, 3))
    try:
        lm(tokens)
    except Exception as e:
        print(type(e).__name__, e)
