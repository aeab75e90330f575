"""A language model whose forward takes an optional mask that the training script never passes
(P4-1, the regression in the PyTorch word-LM tutorial): every position sees the next tokens."""
import math

import torch
import torch.nn as nn

SEQ = 32


class WordLM(nn.Module):
    def __init__(self, vocab, width=128, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, width)
        layer = nn.TransformerEncoderLayer(width, heads, 4 * width, 0.1)
        self.body = nn.TransformerEncoder(layer, depth)
        self.head = nn.Linear(width, vocab)
        self.width = width

    def forward(self, tokens, causal_mask=None):
        h = self.tok(tokens) * math.sqrt(self.width)
        h = self.body(h, causal_mask)  # expect: ML401
        return self.head(h)


def batchify(stream, i):
    n = min(SEQ, len(stream) - 1 - i)
    return stream[i:i + n], stream[i + 1:i + 1 + n].reshape(-1)


def fit(model, stream, vocab):
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    model.train()
    for i in range(0, stream.size(0) - 1, SEQ):
        inputs, targets = batchify(stream, i)
        logits = model(inputs)
        loss = loss_fn(logits.view(-1, vocab), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()


device = "cpu"
lm = WordLM(1000).to(device)
fit(lm, torch.randint(0, 1000, (512, 4)), 1000)
