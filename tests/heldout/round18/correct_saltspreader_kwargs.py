"""Route-priority classifier for road-salting truck dispatch notes.

Supervisors' notes ("bridge deck icing on rte 9 northbound, school zone") are
tokenised by the county's tokenizer into ``input_ids`` and ``attention_mask``
(1 = real token). Blocks take their attention options as keyword arguments so
the same block can be reused for the cross-encoder variant.
"""
import zlib
from typing import Any, Dict

import torch
import torch.nn as nn

PRIORITY = ("bridge_deck", "hill", "school_zone", "arterial", "residential")


def toy_tokenize(texts, max_len=16):
    ids = [[(zlib.crc32(w.encode()) % 997) + 3 for w in t.lower().split()][:max_len] for t in texts]
    L = max(map(len, ids))
    input_ids = torch.zeros(len(ids), L, dtype=torch.long)
    attention_mask = torch.zeros(len(ids), L, dtype=torch.long)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = torch.tensor(row)
        attention_mask[i, : len(row)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True, dropout=0.1)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, **attn_kwargs: Any):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, need_weights=False, **attn_kwargs)
        x = x + a
        return x + self.ff(self.ln2(x))


class SaltRoutePriority(nn.Module):
    def __init__(self, vocab=1000, d=32, h=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(depth))
        self.cls = nn.Linear(d, len(PRIORITY))

    def forward(self, input_ids, attention_mask=None):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        attn_kwargs: Dict[str, Any] = {}
        if attention_mask is not None:
            attn_kwargs["key_padding_mask"] = attention_mask == 0
        for blk in self.blocks:
            x = blk(x, **attn_kwargs)
        return self.cls(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = toy_tokenize(["bridge deck icing on rte 9 northbound", "school zone on elm street needs a second pass before 7am"])
    model = SaltRoutePriority()
    print([PRIORITY[i] for i in model(**enc).argmax(-1)])
