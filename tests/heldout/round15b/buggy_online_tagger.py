"""Streaming token tagger: each position may only look at what has already arrived."""
import torch
from torch import nn


class EncoderBlock(nn.Module):
    def __init__(self, d_model, nhead, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))

    def forward(self, x, padding_mask=None, attn_mask=None):
        h, _ = self.attn(x, x, x, key_padding_mask=padding_mask, attn_mask=attn_mask, need_weights=False)
        x = self.norm1(x + h)
        return self.norm2(x + self.ff(x))


class OnlineTagger(nn.Module):
    def __init__(self, vocab, n_tags, d_model=32, nhead=4, depth=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([EncoderBlock(d_model, nhead, dropout) for _ in range(depth)])
        self.proj = nn.Linear(d_model, n_tags)

    def forward(self, tokens):
        L = tokens.size(1)
        lookahead = torch.triu(torch.ones(L, L, dtype=torch.bool, device=tokens.device), 1)
        h = self.embed(tokens)
        for blk in self.blocks:
            h = blk(h, lookahead)  # expect: ML501
        return self.proj(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    tagger = OnlineTagger(vocab=30, n_tags=4)
    tokens = torch.randint(0, 30, (3, 7))
    try:
        print(tagger(tokens).argmax(-1))
    except (AssertionError, RuntimeError) as exc:
        print("forward failed:", type(exc).__name__, exc)
