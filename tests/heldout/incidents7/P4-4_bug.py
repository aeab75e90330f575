"""User language model built directly on seq-first nn.Transformer (as asked about on
pytorch/tutorials issue 719): the same token stream feeds the encoder and the decoder."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerLM(nn.Module):
    def __init__(self, ntoken=60, d_model=32, nhead=4, nlayers=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(ntoken, d_model)
        self.pos = nn.Parameter(torch.zeros(128, 1, d_model))
        self.transformer = nn.Transformer(d_model, nhead, nlayers, nlayers, 64, dropout)
        self.proj = nn.Linear(d_model, ntoken)
        self.d_model = d_model

    def forward(self, src):
        # src: (S, N)
        x = self.embed(src) * math.sqrt(self.d_model) + self.pos[: src.size(0)]
        out = self.transformer(x, x)  # BUG
        return self.proj(out)


def sample(model, prompt, steps=5):
    model.eval()
    seq = prompt.clone()
    with torch.no_grad():
        for _ in range(steps):
            logits = model(seq)[-1]
            nxt = logits.argmax(-1, keepdim=True).t()
            seq = torch.cat([seq, nxt], dim=0)
    return seq.t()


def train_epoch(model, stream, optimizer, seq_len=10, batch=4):
    model.train()
    total = 0.0
    for i in range(0, stream.size(0) - seq_len - 1, seq_len):
        chunk = torch.stack([torch.roll(stream, -b)[i: i + seq_len + 1] for b in range(batch)], dim=1)
        inp, tgt = chunk[:-1], chunk[1:]
        loss = F.cross_entropy(model(inp).view(-1, 60), tgt.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerLM()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    stream = torch.randint(0, 60, (60,))
    print("epoch loss", train_epoch(model, stream, opt))
    print(sample(model, torch.tensor([[3], [14], [15]])))
