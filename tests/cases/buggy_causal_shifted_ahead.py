"""A causal mask shifted into the future in a next-token model (heldout9 bug_07): tril(diagonal=1)
keeps the next key, triu(diagonal=2) hides from the one after."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Decoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        keep = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril(diagonal=1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML401
        return self.lm_head(y.transpose(1, 2).reshape(B, T, C))


@torch.no_grad()
def generate(model, ids, steps=8):
    for _ in range(steps):
        nxt = model(ids)[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
    return ids
