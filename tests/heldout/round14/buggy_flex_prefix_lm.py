"""Prefix-LM for text-to-SQL: the schema + question prefix is read bidirectionally, the SQL
suffix is generated left to right. Attention masks are expressed as FlexAttention mask_mods."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


@dataclass(frozen=True)
class PrefixLMConfig:
    vocab: int = 1024
    dim: int = 64
    heads: int = 4
    layers: int = 2
    max_len: int = 256


def prefix_lm_mask_mod(prefix_len: torch.Tensor):
    def mask_mod(b, h, q_idx, kv_idx):
        in_prefix = kv_idx < prefix_len[b]
        return in_prefix | (q_idx <= kv_idx)
    return mask_mod


class FlexSelfAttention(nn.Module):
    def __init__(self, cfg: PrefixLMConfig):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim, bias=False)
        self.proj = nn.Linear(cfg.dim, cfg.dim)

    def forward(self, x: torch.Tensor, block_mask) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(x).unflatten(-1, (3, self.heads, d // self.heads)).permute(2, 0, 3, 1, 4)
        out = flex_attention(q, k, v, block_mask=block_mask)  # expect: ML102
        return self.proj(out.transpose(1, 2).flatten(2))


class PrefixLMBlock(nn.Module):
    def __init__(self, cfg: PrefixLMConfig):
        super().__init__()
        self.n1 = nn.RMSNorm(cfg.dim)
        self.attn = FlexSelfAttention(cfg)
        self.n2 = nn.RMSNorm(cfg.dim)
        self.ff = nn.Sequential(nn.Linear(cfg.dim, 3 * cfg.dim), nn.SiLU(), nn.Linear(3 * cfg.dim, cfg.dim))

    def forward(self, x, block_mask):
        x = x + self.attn(self.n1(x), block_mask)
        return x + self.ff(self.n2(x))


class TextToSQLPrefixLM(nn.Module):
    def __init__(self, cfg: PrefixLMConfig = PrefixLMConfig()):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab, cfg.dim)
        self.pos = nn.Parameter(torch.zeros(cfg.max_len, cfg.dim))
        self.blocks = nn.ModuleList(PrefixLMBlock(cfg) for _ in range(cfg.layers))
        self.norm = nn.RMSNorm(cfg.dim)
        self.out = nn.Linear(cfg.dim, cfg.vocab, bias=False)

    def forward(self, tokens: torch.Tensor, prefix_len: torch.Tensor) -> torch.Tensor:
        b, n = tokens.shape
        block_mask = create_block_mask(prefix_lm_mask_mod(prefix_len), b, None, n, n, device=str(tokens.device))
        x = self.embed(tokens) + self.pos[:n]
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.out(self.norm(x))

    def sql_loss(self, tokens: torch.Tensor, prefix_len: torch.Tensor) -> torch.Tensor:
        logits = self(tokens, prefix_len)[:, :-1]
        targets = tokens[:, 1:].clone()
        positions = torch.arange(targets.size(1), device=tokens.device)[None]
        targets[positions < (prefix_len[:, None] - 1)] = -100
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextToSQLPrefixLM()
    model.eval()
    tokens = torch.randint(0, 1024, (2, 40))
    prefix_len = torch.tensor([24, 17])
    with torch.no_grad():
        loss = model.sql_loss(tokens, prefix_len)
        next_tok = model(tokens, prefix_len)[:, -1].argmax(-1)
    print("validation sql loss", round(loss.item(), 4), "next tokens", next_tok.tolist())
