"""Multilingual decoder with top-2 mixture-of-experts feed-forward layers."""
import torch
import torch.nn.functional as F
from torch import nn


class Top2Router(nn.Module):
    def __init__(self, dim, n_experts):
        super().__init__()
        self.gate = nn.Linear(dim, n_experts, bias=False)

    def forward(self, x):
        scores = self.gate(x).softmax(-1)
        top = scores.topk(2, dim=-1).indices
        mask = torch.zeros_like(scores, dtype=torch.bool).scatter_(-1, top, True)
        weights = scores.masked_fill(~mask, 0.0)
        return weights / weights.sum(-1, keepdim=True)


class MoEFeedForward(nn.Module):
    def __init__(self, dim, n_experts=4):
        super().__init__()
        self.router = Top2Router(dim, n_experts)
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
                                     for _ in range(n_experts))

    def forward(self, x):
        weights = self.router(x)
        return sum(weights[..., e:e + 1] * expert(x) for e, expert in enumerate(self.experts))


class MoEDecoderBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.moe = MoEFeedForward(dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(b, n, d))
        return x + self.moe(self.ln2(x))


class MultilingualLM(nn.Module):
    def __init__(self, vocab=6000, n_langs=8, dim=64, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.lang = nn.Embedding(n_langs, dim)
        self.blocks = nn.Sequential(*[MoEDecoderBlock(dim, heads) for _ in range(depth)])
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, lang):
        return self.head(self.blocks(self.tok(ids) + self.lang(lang)[:, None]))


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(0, 6000, (3, 20))
    lang = torch.tensor([0, 3, 5])
    model = MultilingualLM()
    loss = F.cross_entropy(model(ids[:, :-1], lang).transpose(1, 2), ids[:, 1:])
    loss.backward()
    print(loss.item())
