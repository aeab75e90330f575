"""Priority triage for snowplow service requests.

Residents' requests ("cul-de-sac not plowed since Tue, school bus route") are
tokenised by the city's word-piece tokenizer, which returns ``input_ids`` and an
``attention_mask`` (1 = real token). A small encoder scores the priority class
and the expected crew type.
"""
import zlib
from typing import Any, Dict

import torch
import torch.nn as nn

PRIORITY = ("emergency_route", "bus_route", "arterial", "residential", "cul_de_sac")
CREW = ("plow", "salt", "loader", "sidewalk")


def toy_tokenize(texts, max_len=16):
    """Stand-in for the city's tokenizer: hashes words into 1000 ids, pads with 0."""
    ids = [[(zlib.crc32(w.encode()) % 997) + 3 for w in t.lower().split()][:max_len] for t in texts]
    L = max(map(len, ids))
    input_ids = torch.zeros(len(ids), L, dtype=torch.long)
    attention_mask = torch.zeros(len(ids), L, dtype=torch.long)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = torch.tensor(row)
        attention_mask[i, : len(row)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class EncoderBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True, dropout=0.1)
        self.ln1 = nn.LayerNorm(d)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, **attn_kwargs: Any):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, need_weights=False, **attn_kwargs)  # BUG: key_padding_mask in attn_kwargs is the tokenizer's 1=real-token mask
        x = x + a
        return x + self.ff(self.ln2(x))


class RequestTriage(nn.Module):
    def __init__(self, vocab=1000, d=32, h=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList(EncoderBlock(d, h) for _ in range(depth))
        self.priority = nn.Linear(d, len(PRIORITY))
        self.crew = nn.Linear(d, len(CREW))

    def forward(self, input_ids, attention_mask=None):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        attn_kwargs: Dict[str, Any] = {}
        if attention_mask is not None:
            attn_kwargs["key_padding_mask"] = attention_mask.bool()
        for blk in self.blocks:
            x = blk(x, **attn_kwargs)
        cls = x[:, 0]
        return {"priority": self.priority(cls), "crew": self.crew(cls)}


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = toy_tokenize([
        "cul-de-sac not plowed since tuesday",
        "school bus route on maple drive is a sheet of ice near the bridge please salt",
    ])
    model = RequestTriage()
    out = model(**enc)
    print({k: v.argmax(-1).tolist() for k, v in out.items()})
