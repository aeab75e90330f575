import math
from typing import Optional

import torch
from torch import Tensor, nn


class Completer(nn.Module):
    def __init__(self, doc_vocab: int, code_vocab: int, d_model: int = 64, nhead: int = 4,
                 layers: int = 2, dropout: float = 0.1, pad_id: int = 0):
        super().__init__()
        self.pad_id = pad_id
        self.doc_emb = nn.Embedding(doc_vocab, d_model, padding_idx=pad_id)
        self.code_emb = nn.Embedding(code_vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(512, d_model)
        self.core = nn.Transformer(
            d_model, nhead, layers, layers, 4 * d_model, dropout, batch_first=True
        )
        self.lm_head = nn.Linear(d_model, code_vocab)
        self.scale = math.sqrt(d_model)

    def _embed(self, table: nn.Embedding, ids: Tensor) -> Tensor:
        return table(ids) * self.scale + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, doc: Tensor, code_in: Tensor, tgt_mask: Optional[Tensor] = None,
                doc_pad: Optional[Tensor] = None, code_pad: Optional[Tensor] = None) -> Tensor:
        out = self.core(
            self._embed(self.doc_emb, doc),
            self._embed(self.code_emb, code_in),
            tgt_mask=tgt_mask,
            src_key_padding_mask=doc_pad,
            tgt_key_padding_mask=code_pad,
            memory_key_padding_mask=doc_pad,
        )
        return self.lm_head(out)
