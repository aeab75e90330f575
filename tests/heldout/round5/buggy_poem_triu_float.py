"""Poetry generator (decoder-only) trained with an explicit look-ahead mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, look_ahead):
        a = self.ln1(x)
        x = x + self.attn(a, a, a, attn_mask=look_ahead, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class PoemGPT(nn.Module):
    def __init__(self, vocab, d=128, h=4, n=4, ctx=64):
        super().__init__()
        self.ctx = ctx
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(ctx, d)
        self.blocks = nn.Sequential(*[Block(d, h) for _ in range(n)])
        self.head = nn.Linear(d, vocab, bias=False)

    @staticmethod
    def look_ahead_mask(size, device):
        # 1 marks a position the query must not see
        return torch.triu(torch.ones(size, size, device=device), diagonal=1)

    def forward(self, idx):
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        m = self.look_ahead_mask(T, idx.device)
        for blk in self.blocks:
            x = blk(
                x,
                m,  # expect: ML202
            )
        return self.head(x)

    @torch.no_grad()
    def generate(self, idx, steps=20, temperature=1.0):
        for _ in range(steps):
            logits = self(idx[:, -self.ctx:])[:, -1] / temperature
            idx = torch.cat([idx, torch.multinomial(logits.softmax(-1), 1)], 1)
        return idx


if __name__ == "__main__":
    model = PoemGPT(vocab=60)
    x = torch.randint(0, 60, (4, 32))
    loss = F.cross_entropy(model(x[:, :-1]).flatten(0, 1), x[:, 1:].flatten())
    print(loss.item(), model.generate(x[:1, :4], 5).shape)
