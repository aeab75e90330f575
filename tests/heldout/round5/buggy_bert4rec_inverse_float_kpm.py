"""BERT4Rec (bidirectional, masked-item objective) built on nn.TransformerEncoder."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass(frozen=True)
class Bert4RecConfig:
    num_items: int = 1000
    max_len: int = 50
    hidden: int = 64
    heads: int = 2
    layers: int = 2
    dropout: float = 0.1

    @property
    def mask_token(self) -> int:
        return self.num_items + 1


class Bert4Rec(nn.Module):
    def __init__(self, cfg: Bert4RecConfig):
        super().__init__()
        self.cfg = cfg
        self.items = nn.Embedding(cfg.num_items + 2, cfg.hidden, padding_idx=0)
        self.positions = nn.Embedding(cfg.max_len, cfg.hidden)
        enc_layer = nn.TransformerEncoderLayer(
            cfg.hidden, cfg.heads, cfg.hidden * 4, cfg.dropout, activation="gelu", batch_first=True
        )
        self.encoder = nn.TransformerEncoder(enc_layer, cfg.layers)
        self.out = nn.Linear(cfg.hidden, cfg.num_items + 2)

    def encode(self, item_seq, attention_mask):
        pos = torch.arange(item_seq.size(1), device=item_seq.device)
        x = self.items(item_seq) + self.positions(pos)
        return self.encoder(
            x,
            src_key_padding_mask=1.0 - attention_mask.float(),  # expect: ML201
        )

    def forward(self, item_seq, attention_mask):
        return self.out(self.encode(item_seq, attention_mask))


def cloze(seq, cfg: Bert4RecConfig, p=0.2):
    labels = seq.clone()
    chosen = (torch.rand(seq.shape) < p) & (seq != 0)
    labels[~chosen] = -100
    return seq.masked_fill(chosen, cfg.mask_token), labels


if __name__ == "__main__":
    cfg = Bert4RecConfig()
    model = Bert4Rec(cfg)
    seq = torch.randint(1, cfg.num_items, (4, cfg.max_len))
    seq[:2, :20] = 0
    am = (seq != 0).long()
    inp, labels = cloze(seq, cfg)
    logits = model(inp, am)
    print(nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1)).item())
