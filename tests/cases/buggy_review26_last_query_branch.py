"""A GPT-style decoder layer with a KV-cache decode path (query = last position) and a prompt
path (query = the whole sequence). The prompt path forgets the causal mask: the model is trained
with cross-entropy on shifted targets, so full-sequence queries see the future."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, use_cache=False):
        if use_cache:
            q = x[:, -1:]
        else:
            q = x
        h, _ = self.attn(q, x, x, need_weights=False)  # expect: ML401
        return h + self.ff(h)


class TinyGPT(nn.Module):
    def __init__(self, vocab=256, d=64, h=4, n=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, idx, targets=None):
        x = self.emb(idx)
        for b in self.blocks:
            x = b(x)
        logits = self.head(x)
        if targets is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), targets[:, 1:].reshape(-1))
