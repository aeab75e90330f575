"""Fine-tune the comment classifier on labelled review threads."""
import random

import torch
from torch import nn

from .data import Vocab, collate
from .model import CommentClassifier

EXAMPLES = [
    ("nit: trailing whitespace here", "nit"),
    ("this can overflow when the buffer is empty", "defect-risk"),
    ("prefer snake_case for this helper", "style"),
    ("why do we need the extra lock?", "question"),
    ("nice cleanup, much easier to read", "praise"),
    ("off-by-one: the loop skips the last element", "defect-risk"),
    ("nit: typo in docstring", "nit"),
    ("could you explain the retry policy?", "question"),
]


def batches(examples, vocab, size=4, seed=0):
    rng = random.Random(seed)
    order = list(examples)
    rng.shuffle(order)
    for i in range(0, len(order), size):
        yield collate(order[i:i + size], vocab)


def train(epochs=3):
    vocab = Vocab([t for t, _ in EXAMPLES])
    model = CommentClassifier(len(vocab))
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    for epoch in range(epochs):
        model.train()
        for b in batches(EXAMPLES, vocab, seed=epoch):
            logits = model(b["tokens"], b["keep"])  # expect: ML101
            loss = nn.functional.cross_entropy(logits, b["label"])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model, vocab


if __name__ == "__main__":
    torch.manual_seed(0)
    model, vocab = train()
    print(len(vocab), model.head[1].weight.shape)
