import math

import torch
import torch.nn as nn


class TransformerLM(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(512, d_model)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, dim_feedforward, dropout)
        self.out = nn.Linear(d_model, vocab_size)

    def embed(self, tokens):
        positions = torch.arange(tokens.size(0), device=tokens.device).unsqueeze(1)
        return self.embedding(tokens) * math.sqrt(self.d_model) + self.pos(positions)

    def forward(self, src, tgt):
        # src: (S, N) context, tgt: (T, N) the sequence shifted right
        out = self.transformer(self.embed(src), self.embed(tgt))  # BUG
        return self.out(out)


def train_step(model, optimizer, src, tgt):
    optimizer.zero_grad()
    logits = model(src, tgt[:-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[1:].reshape(-1))
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def generate(model, src, bos, steps=8):
    model.eval()
    ys = torch.full((1, src.size(1)), bos, dtype=torch.long)
    for _ in range(steps):
        logits = model(src, ys)
        ys = torch.cat([ys, logits[-1].argmax(-1, keepdim=True).T], dim=0)
    return ys


if __name__ == "__main__":
    vocab = 50
    model = TransformerLM(vocab)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(0, vocab, (12, 2))
    tgt = torch.randint(0, vocab, (9, 2))
    print(train_step(model, opt, src, tgt) > 0)
    print(generate(model, src, bos=1).shape)
