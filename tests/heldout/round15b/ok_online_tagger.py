import torch
from torch import nn


class StreamingBlock(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))

    def forward(self, x, attn_mask=None, padding_mask=None):
        h, _ = self.attn(x, x, x, padding_mask, False, attn_mask)
        x = self.norm(x + h)
        return x + self.ff(x)


class StreamingTagger(nn.Module):
    def __init__(self, vocab, n_tags, d_model=32, nhead=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([StreamingBlock(d_model, nhead) for _ in range(depth)])
        self.proj = nn.Linear(d_model, n_tags)

    def forward(self, tokens, pad=None):
        L = tokens.size(1)
        lookahead = torch.triu(torch.ones(L, L, dtype=torch.bool, device=tokens.device), 1)
        h = self.embed(tokens)
        for blk in self.blocks:
            h = blk(h, lookahead, pad)
        return self.proj(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    tokens = torch.randint(1, 30, (3, 7))
    print(StreamingTagger(30, 4)(tokens, tokens == 0).argmax(-1).tolist())
