import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_slopes(n_heads):
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class AlibiAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("slopes", get_slopes(heads), persistent=False)

    def alibi(self, n, device):
        pos = torch.arange(n, device=device)
        dist = (pos[None, :] - pos[:, None]).clamp(max=0).float()
        return self.slopes[:, None, None] * dist

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        future = torch.triu(torch.ones(n, n, device=x.device), diagonal=1)
        bias = self.alibi(n, x.device) + future
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML202
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = AlibiAttention(dim, heads)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.ff(self.n2(x))


class AlibiLM(nn.Module):
    def __init__(self, vocab, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx):
        return self.head(self.layers(self.emb(idx)))

    @torch.no_grad()
    def generate(self, idx, steps):
        for _ in range(steps):
            nxt = self(idx)[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


def train_step(model, opt, batch):
    logits = model(batch[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AlibiLM(vocab=40)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    data = torch.randint(0, 40, (4, 10))
    for i in range(3):
        print("loss", round(train_step(model, opt, data), 4))
    print(model.generate(data[:1, :3], 4).tolist())
