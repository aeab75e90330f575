"""GPT-style model (chapter 4 variant) using PyTorch's fused attention kernel."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPTConfig:
    vocab_size: int = 50257
    context_length: int = 256
    emb_dim: int = 128
    n_heads: int = 4
    n_layers: int = 2
    drop_rate: float = 0.0
    qkv_bias: bool = False


class MHAPyTorchSDPA(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        assert cfg.emb_dim % cfg.n_heads == 0
        self.cfg = cfg
        self.head_dim = cfg.emb_dim // cfg.n_heads
        self.qkv = nn.Linear(cfg.emb_dim, 3 * cfg.emb_dim, bias=cfg.qkv_bias)
        self.proj = nn.Linear(cfg.emb_dim, cfg.emb_dim)
        mask = torch.triu(torch.ones(cfg.context_length, cfg.context_length), diagonal=1).bool()  # BUG
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        qkv = self.qkv(x).view(b, t, 3, self.cfg.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn_mask = self.mask[:t, :t]
        p = self.cfg.drop_rate if self.training else 0.0
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=p)  # BUG
        ctx = ctx.transpose(1, 2).reshape(b, t, d)
        return self.proj(ctx)


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.emb_dim)
        self.att = MHAPyTorchSDPA(cfg)
        self.ln2 = nn.LayerNorm(cfg.emb_dim)
        self.ff = nn.Sequential(
            nn.Linear(cfg.emb_dim, 4 * cfg.emb_dim), nn.GELU(), nn.Linear(4 * cfg.emb_dim, cfg.emb_dim)
        )

    def forward(self, x):
        x = x + self.att(self.ln1(x))
        return x + self.ff(self.ln2(x))


class GPTModel(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.emb_dim)
        self.pos_emb = nn.Embedding(cfg.context_length, cfg.emb_dim)
        self.blocks = nn.Sequential(*[Block(cfg) for _ in range(cfg.n_layers)])
        self.final_norm = nn.LayerNorm(cfg.emb_dim)
        self.out_head = nn.Linear(cfg.emb_dim, cfg.vocab_size, bias=False)

    def forward(self, idx):
        t = idx.shape[1]
        pos = torch.arange(t, device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb(pos)
        x = self.blocks(x)
        return self.out_head(self.final_norm(x))


if __name__ == "__main__":
    torch.manual_seed(123)
    cfg = GPTConfig(vocab_size=100)
    model = GPTModel(cfg).eval()
    idx = torch.randint(0, 100, (2, 12))
    with torch.no_grad():
        full = model(idx)
        prefix = model(idx[:, :6])
    print("causal ok:", torch.allclose(full[:, :6], prefix, atol=1e-5))
