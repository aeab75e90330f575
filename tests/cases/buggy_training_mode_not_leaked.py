"""A block that hands MHA a key padding mask only in training, given the tokenizer's mask made bool
(True at real tokens: inverted for key_padding_mask).  What a mode is known from must not reach
further than it holds: a conditional `model.eval()`, `.eval()` on another model, an
`if self.training: continue` inside a loop, and an `if self.training: raise` inside another
branch all leave the training path possible, and its bug reported."""
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norms = nn.ModuleList([nn.LayerNorm(d) for _ in range(2)])

    def forward(self, x, pad):
        for norm in self.norms:
            if self.training:
                continue
            x = norm(x)
        if x.size(1) > 512:
            if self.training:
                raise ValueError("long inputs are for inference only")
            x = x[:, -1:]
        if self.training:
            return self.attn(x, x, x, key_padding_mask=pad)[0]
        return self.attn(x, x, x)[0]


def run(model, teacher, tokenizer, texts, emb, frozen):
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    x = emb(enc["input_ids"])
    if frozen:
        model.eval()
    teacher.eval()
    return model(x, enc["attention_mask"].bool())  # expect: ML101
