"""Pretraining on packed fixed-length documents: attention is causal and must not cross document boundaries."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class PackConfig:
    vocab_size: int = 64
    d_model: int = 32
    nhead: int = 4
    n_layers: int = 2
    doc_len: int = 4
    docs_per_row: int = 3


def document_block_mask(seq_len: int, doc_len: int) -> torch.Tensor:
    doc_id = torch.arange(seq_len) // doc_len
    return doc_id[:, None] != doc_id[None, :]  # True = different document (blocked)


class PackedLM(nn.Module):
    def __init__(self, cfg: PackConfig):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 2 * cfg.d_model, dropout=0.0, batch_first=True)
             for _ in range(cfg.n_layers)]
        )
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def forward(self, ids):
        seq_len = ids.size(1)
        doc_mask = document_block_mask(seq_len, self.cfg.doc_len)
        h = self.emb(ids)
        for layer in self.layers:
            h = layer(h, src_mask=doc_mask, is_causal=True)  # BUG
        return self.head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = PackConfig()
    model = PackedLM(cfg)
    ids = torch.randint(0, cfg.vocab_size, (2, cfg.doc_len * cfg.docs_per_row))
    logits = model(ids)
    loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, cfg.vocab_size), ids[:, 1:].reshape(-1))
    loss.backward()
    print(loss.item())
