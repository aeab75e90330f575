"""Long legal-document classifier with a BERT-style hand-written encoder (classic extended mask)."""
import math

import torch
import torch.nn as nn

CFG = {"vocab": 32000, "hidden": 128, "heads": 4, "layers": 2, "labels": 8, "max_pos": 512, "mask_value": -10000.0}


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.d = cfg["heads"], cfg["hidden"] // cfg["heads"]
        self.query, self.key, self.value = (nn.Linear(cfg["hidden"], cfg["hidden"]) for _ in range(3))
        self.dense = nn.Linear(cfg["hidden"], cfg["hidden"])

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.h, self.d).permute(0, 2, 1, 3)

    def forward(self, hidden, extended_mask):
        q, k, v = self.split(self.query(hidden)), self.split(self.key(hidden)), self.split(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d)
        scores = scores + extended_mask
        ctx = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3).flatten(2)
        return self.dense(ctx)


class LegalClassifier(nn.Module):
    def __init__(self, cfg=CFG):
        super().__init__()
        self.cfg = cfg
        self.word = nn.Embedding(cfg["vocab"], cfg["hidden"])
        self.pos = nn.Embedding(cfg["max_pos"], cfg["hidden"])
        self.layers = nn.ModuleList(SelfAttention(cfg) for _ in range(cfg["layers"]))
        self.norms = nn.ModuleList(nn.LayerNorm(cfg["hidden"]) for _ in range(cfg["layers"]))
        self.cls = nn.Linear(cfg["hidden"], cfg["labels"])

    def forward(self, input_ids, attention_mask):
        ext = attention_mask[:, None, None, :].to(torch.float32)
        ext = (1.0 - ext) * self.cfg["mask_value"]
        x = self.word(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        for attn, norm in zip(self.layers, self.norms):
            x = norm(x + attn(x, ext))
        return self.cls(x[:, 0])


if __name__ == "__main__":
    ids = torch.randint(0, 32000, (2, 384))
    am = torch.ones_like(ids)
    am[1, 200:] = 0
    print(LegalClassifier()(ids, am).shape)
