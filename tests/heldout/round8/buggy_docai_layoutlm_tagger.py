"""LayoutLM-style key-information extraction tagger.

Token ids + 1-D positions + 2-D layout (bounding-box) embeddings feed a stock
``nn.TransformerEncoder``; a linear head predicts BIO labels per OCR token.
Batches come from ``collate_documents`` which follows the HuggingFace convention
(``attention_mask`` = 1 for real tokens, 0 for padding).
"""
from dataclasses import dataclass
from typing import Dict, List

import torch
import torch.nn as nn


@dataclass
class LayoutConfig:
    vocab_size: int = 500
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    max_pos: int = 128
    max_coord: int = 1001
    num_labels: int = 7
    pad_id: int = 0


class LayoutEmbeddings(nn.Module):
    def __init__(self, cfg: LayoutConfig):
        super().__init__()
        self.word = nn.Embedding(cfg.vocab_size, cfg.hidden, padding_idx=cfg.pad_id)
        self.pos = nn.Embedding(cfg.max_pos, cfg.hidden)
        self.x = nn.Embedding(cfg.max_coord, cfg.hidden)
        self.y = nn.Embedding(cfg.max_coord, cfg.hidden)
        self.h = nn.Embedding(cfg.max_coord, cfg.hidden)
        self.w = nn.Embedding(cfg.max_coord, cfg.hidden)
        self.norm = nn.LayerNorm(cfg.hidden)

    def forward(self, input_ids, bbox):
        L = input_ids.size(1)
        pos = torch.arange(L, device=input_ids.device).unsqueeze(0)
        x0, y0, x1, y1 = bbox.unbind(-1)
        e = self.word(input_ids) + self.pos(pos)
        e = e + self.x(x0) + self.y(y0) + self.x(x1) + self.y(y1)
        e = e + self.h((y1 - y0).clamp(0, 1000)) + self.w((x1 - x0).clamp(0, 1000))
        return self.norm(e)


class LayoutTagger(nn.Module):
    def __init__(self, cfg: LayoutConfig):
        super().__init__()
        self.emb = LayoutEmbeddings(cfg)
        layer = nn.TransformerEncoderLayer(
            cfg.hidden, cfg.heads, 4 * cfg.hidden, dropout=0.0, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.cls = nn.Linear(cfg.hidden, cfg.num_labels)

    def forward(self, input_ids, bbox, attention_mask):
        h = self.emb(input_ids, bbox)
        h = self.encoder(
            h,
            src_key_padding_mask=attention_mask.bool(),  # expect: ML101
        )
        return self.cls(h)


def collate_documents(samples: List[Dict], pad_id: int = 0) -> Dict[str, torch.Tensor]:
    L = max(len(s["ids"]) for s in samples)
    ids = torch.full((len(samples), L), pad_id, dtype=torch.long)
    bbox = torch.zeros(len(samples), L, 4, dtype=torch.long)
    am = torch.zeros(len(samples), L, dtype=torch.long)
    for i, s in enumerate(samples):
        n = len(s["ids"])
        ids[i, :n] = torch.tensor(s["ids"])
        bbox[i, :n] = torch.tensor(s["bbox"])
        am[i, :n] = 1
    return {"input_ids": ids, "bbox": bbox, "attention_mask": am}


def _fake_doc(n, g):
    ids = torch.randint(1, 500, (n,), generator=g).tolist()
    x0 = torch.randint(0, 900, (n,), generator=g)
    y0 = torch.randint(0, 900, (n,), generator=g)
    boxes = torch.stack([x0, y0, x0 + 50, y0 + 20], -1).tolist()
    return {"ids": ids, "bbox": boxes}


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    model = LayoutTagger(LayoutConfig()).eval()
    batch = collate_documents([_fake_doc(12, g), _fake_doc(7, g)])
    with torch.no_grad():
        a = model(**batch)
        # Re-pad the short document with different (garbage) ids/boxes: real tokens must not care.
        b2 = {k: v.clone() for k, v in batch.items()}
        b2["input_ids"][1, 7:] = 77
        b2["bbox"][1, 7:] = 500
        b = model(**b2)
    diff = (a[1, :7] - b[1, :7]).abs().max().item()
    print("max change on real tokens of doc 1 after editing its padding:", diff)
    print("NaN in logits of the unpadded doc 0:", torch.isnan(a[0]).any().item())
    assert diff > 1e-4 or torch.isnan(a).any()
    print("FAILURE SHOWN: real-token predictions depend on padding content")
