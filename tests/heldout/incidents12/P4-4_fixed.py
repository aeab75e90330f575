import math

import torch
import torch.nn as nn


class PoetryTransformer(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(256, d_model)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, dim_feedforward=64, dropout=0.0)
        self.fc = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        seq_len = x.size(0)
        h = self.embedding(x) * math.sqrt(self.d_model) + self.pos(torch.arange(seq_len))[:, None, :]
        mask = self.transformer.generate_square_subsequent_mask(seq_len)
        out = self.transformer(h, h, src_mask=mask, tgt_mask=mask, memory_mask=mask)
        return self.fc(out)


@torch.no_grad()
def generate(model, start_ids, max_new_tokens=10, temperature=1.0):
    ids = start_ids.clone()
    for _ in range(max_new_tokens):
        logits = model(ids)[-1] / temperature
        next_id = torch.multinomial(torch.softmax(logits, dim=-1), 1).t()
        ids = torch.cat([ids, next_id], dim=0)
    return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PoetryTransformer(vocab_size=60).eval()
    x = torch.randint(0, 60, (10, 3))
    y = x.clone()
    y[6:] = torch.randint(0, 60, (4, 3))
    with torch.no_grad():
        d = (model(x)[:6] - model(y)[:6]).abs().max().item()
    sample = generate(model, x[:2, :1])
    print(f"future leak: max |d logits[:6]| after editing tokens 6.. = {d:.4f}; sample len {sample.size(0)}")
