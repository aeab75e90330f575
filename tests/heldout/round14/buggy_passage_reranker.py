"""Cross-encoder passage reranker: [CLS] query [SEP] passage [SEP] -> relevance score.
Trained with a listwise softmax loss over one positive and several hard negatives."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

CLS, SEP, PAD = 101, 102, 0


@dataclass
class RerankerConfig:
    vocab_size: int = 30522
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    max_len: int = 64
    dropout: float = 0.1


def pack_pairs(query: Sequence[int], passages: Sequence[Sequence[int]], max_len: int):
    ids, segs = [], []
    for p in passages:
        row = [CLS, *query, SEP, *p][: max_len - 1] + [SEP]
        seg = [0] * (len(query) + 2) + [1] * (len(row) - len(query) - 2)
        ids.append(row)
        segs.append(seg)
    width = max(map(len, ids))
    pad = lambda rows: torch.tensor([r + [0] * (width - len(r)) for r in rows])  # noqa: E731
    return pad(ids), pad(segs)


class CrossEncoder(nn.Module):
    def __init__(self, cfg: RerankerConfig = RerankerConfig()):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.hidden, padding_idx=PAD)
        self.seg = nn.Embedding(2, cfg.hidden)
        self.pos = nn.Embedding(cfg.max_len, cfg.hidden)
        self.emb_norm = nn.LayerNorm(cfg.hidden)
        layer = nn.TransformerEncoderLayer(cfg.hidden, cfg.heads, 4 * cfg.hidden, cfg.dropout,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.score = nn.Sequential(nn.Linear(cfg.hidden, cfg.hidden), nn.Tanh(), nn.Linear(cfg.hidden, 1))

    def forward(self, input_ids: torch.Tensor, segment_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.emb_norm(self.tok(input_ids) + self.seg(segment_ids) + self.pos(positions))
        pad_mask = input_ids.eq(PAD).to(x.dtype)
        h = self.encoder(x, src_key_padding_mask=pad_mask)  # expect: ML201
        return self.score(h[:, 0]).squeeze(-1)


def listwise_loss(model: CrossEncoder, groups: List[tuple]) -> torch.Tensor:
    losses = []
    for query, passages in groups:
        ids, segs = pack_pairs(query, passages, model.cfg.max_len)
        scores = model(ids, segs)
        losses.append(F.cross_entropy(scores[None], torch.zeros(1, dtype=torch.long)))
    return torch.stack(losses).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossEncoder()
    q = [2054, 2003, 1996, 3007, 1997, 2605]
    group = (q, [[3000, 2003, 1996, 3007, 1997, 2605, 1012], [2605, 2003, 1037, 2406], [1996, 3007, 2003, 3000, 1012, 2009]])
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
    loss = listwise_loss(model, [group])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("listwise loss", round(loss.item(), 4))
    model.eval()
    with torch.no_grad():
        ids, segs = pack_pairs(*group, model.cfg.max_len)
        print("rerank order", model(ids, segs).argsort(descending=True).tolist())
