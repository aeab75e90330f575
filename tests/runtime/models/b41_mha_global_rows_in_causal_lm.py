"""Buggy: a decoder LM on nn.MultiheadAttention (True = blocked) gives its first G "summary"
positions full attention by clearing their rows of the causal block mask: every later token
sees them, and they see the future, so the future reaches every token one layer on."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Decoder(nn.Module):
    def __init__(self, vocab=40, dim=16, global_tokens=2):
        super().__init__()
        self.g = global_tokens
        self.emb = nn.Embedding(vocab, dim)
        self.attn = nn.MultiheadAttention(dim, 2, dropout=0.1, batch_first=True)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        T = ids.size(1)
        blocked = torch.ones(T, T, dtype=torch.bool).triu(1)
        blocked[: self.g] = False  # summary positions read the whole sequence
        x = self.emb(ids)
        h, _ = self.attn(x, x, x, attn_mask=blocked, need_weights=False)  # expect: ML401
        logits = self.head(h)
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))


def run():
    torch.manual_seed(0)
    ids = torch.randint(0, 40, (3, 8))
    model = Decoder().train()
    loss = model(ids)
    loss.backward()
    return (loss.detach(), model.emb.weight.grad)
