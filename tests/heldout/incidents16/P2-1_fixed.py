"""Tiny character-level language model: embedding -> masked self-attention -> head.

Trains for a few steps on a toy string when run as a script.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

block_size = 8
n_embd = 32
n_head = 4


class CharAttentionLM(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, n_embd)
        self.pos = nn.Embedding(block_size, n_embd)
        self.attn = nn.MultiheadAttention(n_embd, n_head, batch_first=True)
        self.ln = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, vocab_size)
        # lower-triangular: position i may look at 0..i
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))

    def forward(self, idx, targets=None):
        B, T = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))
        h = self.ln(x)
        a, _ = self.attn(h, h, h, attn_mask=self.tril[:T, :T] == 0, need_weights=False)
        logits = self.head(x + a)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(B * T, -1), targets.view(B * T))
        return logits, loss


def get_batch(data, batch_size=4):
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + block_size + 1] for i in ix])
    return x, y


if __name__ == "__main__":
    torch.manual_seed(1337)
    text = "hello world, hello attention, hello masks. " * 20
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text])
    model = CharAttentionLM(len(chars))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for step in range(50):
        xb, yb = get_batch(data)
        _, loss = model(xb, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    print(f"final loss {loss.item():.4f}")
