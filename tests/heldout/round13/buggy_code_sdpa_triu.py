"""Small decoder-only model for code completion (byte-level BPE ids)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class CodeLMConfig:
    vocab_size: int = 2048
    n_layer: int = 4
    n_head: int = 8
    n_embd: int = 256
    block_size: int = 512
    dropout: float = 0.0


_MASK_CACHE: dict = {}


def future_mask(size: int, device) -> torch.Tensor:
    key = (size, str(device))
    if key not in _MASK_CACHE:
        _MASK_CACHE[key] = torch.triu(torch.ones(size, size, dtype=torch.bool, device=device), diagonal=1)
    return _MASK_CACHE[key]


class SelfAttention(nn.Module):
    def __init__(self, cfg: CodeLMConfig):
        super().__init__()
        self.n_head = cfg.n_head
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd)
        self.dropout = cfg.dropout

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        mask = future_mask(T, x.device)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,  # expect: ML102
            dropout_p=self.dropout if self.training else 0.0,
        )
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.attn = SelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = nn.Sequential(nn.Linear(cfg.n_embd, 4 * cfg.n_embd), nn.GELU(), nn.Linear(4 * cfg.n_embd, cfg.n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class CodeLM(nn.Module):
    def __init__(self, cfg: CodeLMConfig):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.block_size, cfg.n_embd)
        self.h = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)

    def forward(self, idx, targets=None):
        pos = torch.arange(idx.size(1), device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for blk in self.h:
            x = blk(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodeLM(CodeLMConfig())
    data = torch.randint(0, 2048, (2, 65))
    _, loss = model(data[:, :-1], data[:, 1:])
    print("loss", loss.item())
