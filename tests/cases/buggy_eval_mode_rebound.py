"""Eval mode belongs to a module, not to a name: after `model.eval()`, `model = Block()` binds a
fresh module, in training mode, whose training path hands MHA the tokenizer's mask made bool
(True at real tokens) as key_padding_mask (True = ignored)."""
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, pad):
        if self.training:
            return self.attn(x, x, x, key_padding_mask=pad)[0]
        return self.attn(x, x, x)[0]


def run(tokenizer, texts, emb):
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    x = emb(enc["input_ids"])
    model = Block()
    model.eval()
    before = model(x, enc["attention_mask"].bool())
    model = Block()
    after = model(x, enc["attention_mask"].bool())  # expect: ML101
    return before, after
