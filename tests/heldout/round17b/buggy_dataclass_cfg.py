"""Character-level lyrics generator trained on song verses."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class LyricsConfig:
    vocab: int = 96
    dim: int = 64
    heads: int = 4
    layers: int = 2
    context: int = 128
    dropout: float = 0.0
    causal: bool = False


class VerseBlock(nn.Module):
    def __init__(self, cfg: LyricsConfig):
        super().__init__()
        self.cfg = cfg
        self.ln1 = nn.LayerNorm(cfg.dim)
        self.ln2 = nn.LayerNorm(cfg.dim)
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.proj = nn.Linear(cfg.dim, cfg.dim)
        self.mlp = nn.Sequential(nn.Linear(cfg.dim, 4 * cfg.dim), nn.GELU(), nn.Linear(4 * cfg.dim, cfg.dim))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.cfg.heads, -1).permute(2, 0, 3, 1, 4)
        p = self.cfg.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=self.cfg.causal)  # expect: ML401
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.ln2(x))


class LyricsLM(nn.Module):
    def __init__(self, cfg: LyricsConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.pos = nn.Embedding(cfg.context, cfg.dim)
        self.blocks = nn.Sequential(*[VerseBlock(cfg) for _ in range(cfg.layers)])
        self.head = nn.Linear(cfg.dim, cfg.vocab)

    def forward(self, ids, targets=None):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        logits = self.head(self.blocks(x))
        if targets is None:
            return logits
        return logits, F.cross_entropy(logits.flatten(0, 1), targets.flatten())

    @torch.no_grad()
    def sample(self, ids, n_new=40, temperature=0.9):
        for _ in range(n_new):
            logits = self(ids[:, -self.cfg.context:])[:, -1] / temperature
            ids = torch.cat([ids, torch.multinomial(logits.softmax(-1), 1)], dim=1)
        return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = LyricsConfig(layers=3)
    model = LyricsLM(cfg)
    data = torch.randint(0, cfg.vocab, (8, 65))
    opt = torch.optim.AdamW(model.parameters(), 3e-4)
    _, loss = model(data[:, :-1], data[:, 1:])
    loss.backward()
    opt.step()
    print(loss.item(), model.sample(data[:1, :5]).shape)
