import math

import torch
import torch.nn as nn


class CharGPTBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask)
        x = x + a
        return x + self.mlp(self.ln2(x))


class CharGPT(nn.Module):
    """Character language model; activations are laid out (seq, batch, dim) throughout."""

    def __init__(self, vocab_size, block_size=8, d_model=32, n_heads=4, n_layers=2):
        super().__init__()
        self.block_size = block_size
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(block_size, 1, d_model))
        self.blocks = nn.ModuleList([CharGPTBlock(d_model, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, vocab_size)
        nn.init.normal_(self.pos, std=1 / math.sqrt(d_model))
        self.register_buffer("attn_mask", torch.tril(torch.ones(block_size, block_size)))  # BUG

    def forward(self, idx):
        t = idx.size(1)
        x = self.tok(idx).transpose(0, 1) + self.pos[:t]
        mask = self.attn_mask[:t, :t]
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(x).transpose(0, 1)


@torch.no_grad()
def sample(model, idx, steps):
    for _ in range(steps):
        logits = model(idx[:, -model.block_size:])
        idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return idx


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CharGPT(vocab_size=27)
    idx = torch.randint(0, 27, (3, 8))
    logits = model(idx)
    loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 27), idx[:, 1:].reshape(-1))
    with torch.no_grad():
        alt = idx.clone()
        alt[:, 4:] = (alt[:, 4:] + 5) % 27
        leak = (model(alt)[:, :4] - logits[:, :4]).abs().max().item()
    print(f"future leak: max |d logits[:, :4]| after editing chars 4.. = {leak:.4f} (loss {loss.item():.3f})")
