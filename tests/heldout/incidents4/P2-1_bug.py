import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser(description="char-level MHA language model")
parser.add_argument("--block-size", type=int, default=8)
parser.add_argument("--embed", type=int, default=32)
parser.add_argument("--heads", type=int, default=4)
parser.add_argument("--iters", type=int, default=30)
parser.add_argument("--lr", type=float, default=3e-3)
args = parser.parse_args()

torch.manual_seed(1337)
text = "the quick brown fox jumps over the lazy dog " * 50
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)


def get_batch(batch_size=16):
    ix = torch.randint(len(data) - args.block_size - 1, (batch_size,))
    x = torch.stack([data[i:i + args.block_size] for i in ix])
    y = torch.stack([data[i + 1:i + args.block_size + 1] for i in ix])
    return x, y


class CharLM(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, args.embed)
        self.pos = nn.Embedding(args.block_size, args.embed)
        self.attn = nn.MultiheadAttention(args.embed, args.heads, batch_first=True)
        self.ln = nn.LayerNorm(args.embed)
        self.head = nn.Linear(args.embed, vocab_size)

    def forward(self, idx, attn_mask):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t))
        h, _ = self.attn(x, x, x, attn_mask=attn_mask)  # BUG
        return self.head(self.ln(x + h))


model = CharLM(len(chars))
optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
attn_mask = torch.tril(torch.ones(args.block_size, args.block_size))  # BUG

for it in range(args.iters):
    xb, yb = get_batch()
    logits = model(xb, attn_mask)
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), yb.view(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if it % 10 == 0:
        print(f"iter {it}: loss {loss.item():.3f} (uniform {math.log(len(chars)):.3f})")

model.eval()
with torch.no_grad():
    idx = data[: args.block_size].unsqueeze(0)
    probs = model(idx, attn_mask)[0, -1].softmax(-1)
    print("next char:", chars[int(probs.argmax())])
