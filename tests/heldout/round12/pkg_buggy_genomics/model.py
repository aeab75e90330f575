"""Encoder + pooled head; the batch is the tokenizer's dict."""
import torch
from torch import nn

from .layers import KmerBlock
from .masks import as_bool_mask, masked_mean


class PromoterClassifier(nn.Module):
    def __init__(self, vocab_size: int, dim: int = 32, heads: int = 4, depth: int = 2, max_len: int = 512):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, max_len, dim))
        self.blocks = nn.ModuleList(KmerBlock(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, 2)

    def forward(self, batch):
        ids = batch["input_ids"]
        token_mask = as_bool_mask(batch["attention_mask"])
        x = self.tok(ids) + self.pos[:, : ids.size(1)]
        for block in self.blocks:
            x = block(x, token_mask)
        return self.out(masked_mean(x, batch["attention_mask"]))


def main():
    from .tokenizer import KmerTokenizer

    torch.manual_seed(0)
    tok = KmerTokenizer(k=3)
    batch = tok(["ACGTTGCATGCA", "TTGACAATG", "GGGCCCAT"])
    model = PromoterClassifier(len(tok.vocab))
    logits = model(batch)
    loss = nn.functional.cross_entropy(logits, torch.tensor([1, 0, 1]))
    loss.backward()
    print("logits", logits.detach().shape, "loss", round(loss.item(), 4))
