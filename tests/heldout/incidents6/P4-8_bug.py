"""Text-to-speech decoder self-attention (GQA) on top of F.scaled_dot_product_attention."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    n_embd: int = 32
    n_q_heads: int = 4
    n_kv_heads: int = 2
    n_layer: int = 2
    dropout: float = 0.1
    vocab: int = 50


class SelfAttention(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.head_dim = cfg.n_embd // cfg.n_q_heads
        self.q_proj = nn.Linear(cfg.n_embd, cfg.n_q_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.n_embd, cfg.n_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.n_embd, cfg.n_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(cfg.n_q_heads * self.head_dim, cfg.n_embd, bias=False)

    def forward(self, x, attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, -1, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, -1, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, -1, self.head_dim).transpose(1, 2)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            dropout_p=self.cfg.dropout if self.training else 0.0,
            is_causal=is_causal,  # BUG
            enable_gqa=True,
        )
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


class Decoder(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.emb = nn.Embedding(cfg.vocab, cfg.n_embd)
        self.layers = nn.ModuleList([SelfAttention(cfg) for _ in range(cfg.n_layer)])
        self.norm = nn.LayerNorm(cfg.n_embd)
        self.logits = nn.Linear(cfg.n_embd, cfg.vocab)

    def forward(self, tokens, padding_mask):
        T = tokens.size(1)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=tokens.device))
        attn_mask = causal[None, None] & padding_mask[:, None, None, :]
        h = self.emb(tokens)
        for layer in self.layers:
            h = h + layer(h, attn_mask=attn_mask, is_causal=True)
        return self.logits(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Decoder(DecoderConfig()).eval()
    tokens = torch.randint(0, 50, (2, 6))
    padding_mask = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    with torch.no_grad():
        print(model(tokens, padding_mask).shape)
