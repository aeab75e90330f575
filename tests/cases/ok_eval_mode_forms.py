"""A block that hands MHA a key padding mask only in training (given the tokenizer's mask made
bool, which would be inverted there), run only in eval, in the forms code puts a model in eval:
`model.to(device).eval()`, `model.eval()` before a helper that calls it, and `self.model.eval()`
in a runner class.  The training path never runs, so nothing is reported."""
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, pad):
        if self.training:
            return self.attn(x, x, x, key_padding_mask=pad)[0]
        return self.attn(x, x, x)[0]


def infer(model, x, pad):
    return model(x, pad)


def chained(model, tokenizer, texts, emb):
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    model.to("cpu").eval()
    return model(emb(enc["input_ids"]), enc["attention_mask"].bool())


def through_helper(tokenizer, texts, emb):
    model = Block()
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    model.eval()
    return infer(model, emb(enc["input_ids"]), enc["attention_mask"].bool())


class Runner:
    def __init__(self, tokenizer, emb):
        self.model = Block()
        self.tokenizer, self.emb = tokenizer, emb

    def run(self, texts):
        enc = self.tokenizer(texts, padding=True, return_tensors="pt")
        self.model.eval()
        return self.model(self.emb(enc["input_ids"]), enc["attention_mask"].bool())
