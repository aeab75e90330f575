import torch
from torch import nn
from torch.nn import functional as F


class CharTokenizer:
    def __init__(self, text):
        self.chars = sorted(set(text))
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    def encode(self, s):
        return torch.tensor([self.stoi[c] for c in s], dtype=torch.long)

    def decode(self, ids):
        return "".join(self.chars[i] for i in ids.tolist())


class ContextEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, block_size=64):
        super().__init__()
        self.block_size = block_size
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(block_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, activation="gelu", batch_first=True)
        self.blocks = nn.TransformerEncoder(layer, num_layers)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        return self.head(self.blocks(x))  # expect: ML401


def get_batch(data, block_size, batch_size):
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([data[i: i + block_size] for i in ix])
    y = torch.stack([data[i + 1: i + block_size + 1] for i in ix])
    return x, y


@torch.no_grad()
def sample(model, idx, n):
    model.eval()
    for _ in range(n):
        logits = model(idx[:, -model.block_size:])[:, -1]
        idx = torch.cat([idx, torch.multinomial(logits.softmax(-1), 1)], 1)
    return idx


def train(text, steps=20):
    tok = CharTokenizer(text)
    data = tok.encode(text)
    model = ContextEncoder(len(tok.chars), block_size=32)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for _ in range(steps):
        x, y = get_batch(data, 32, 16)
        loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return tok, model, loss.item()


if __name__ == "__main__":
    corpus = "to be or not to be that is the question " * 40
    tok, model, last = train(corpus)
    print(last, tok.decode(sample(model, tok.encode("to be")[None], 20)[0]))
