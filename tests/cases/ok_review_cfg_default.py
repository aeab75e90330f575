"""One block class shared by an encoder and a decoder; the config's default is the encoder's."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class BlockConfig:
    d_model: int = 128
    n_head: int = 4
    causal: bool = False
    dropout: float = 0.0


class Block(nn.Module):
    def __init__(self, cfg: BlockConfig = BlockConfig()):
        super().__init__()
        self.cfg = cfg
        self.ln1, self.ln2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(),
                                 nn.Linear(4 * cfg.d_model, cfg.d_model))

    def forward(self, x):
        B, T, C = x.shape
        h = self.cfg.n_head
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q = q.view(B, T, h, C // h).transpose(1, 2)
        k = k.view(B, T, h, C // h).transpose(1, 2)
        v = v.view(B, T, h, C // h).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.cfg.causal,
                                           dropout_p=self.cfg.dropout if self.training else 0.0)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab=256, n_layer=2, block: BlockConfig = BlockConfig(causal=True)):
        super().__init__()
        self.wte = nn.Embedding(vocab, block.d_model)
        self.wpe = nn.Embedding(256, block.d_model)
        self.blocks = nn.ModuleList([Block(block) for _ in range(n_layer)])
        self.head = nn.Linear(block.d_model, vocab)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for b in self.blocks:
            x = b(x)
        return self.head(x)

    @torch.no_grad()
    def generate(self, idx, n):
        for _ in range(n):
            nxt = self(idx)[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


def gpt_config(**kw) -> BlockConfig:
    return BlockConfig(causal=True, **kw)


class TinyLM(nn.Module):
    def __init__(self, vocab=256, cfg: BlockConfig = BlockConfig()):
        super().__init__()
        cfg = BlockConfig(d_model=cfg.d_model, n_head=cfg.n_head, causal=True)
        self.emb = nn.Embedding(vocab, cfg.d_model)
        self.block = Block(cfg)
        self.head = nn.Linear(cfg.d_model, vocab)

    def forward(self, idx):
        return self.head(self.block(self.emb(idx)))

    def loss(self, idx):
        logits = self(idx[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), idx[:, 1:])


if __name__ == "__main__":
    g = GPT()
    print(g.generate(torch.zeros(1, 1, dtype=torch.long), 3).shape, TinyLM().loss(torch.randint(0, 256, (2, 8))).item())
