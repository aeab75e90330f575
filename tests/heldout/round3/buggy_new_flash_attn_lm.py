"""Pretraining-scale decoder LM block using FlashAttention-2 kernels directly
(bf16, (batch, seqlen, nheads, headdim) layout)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from flash_attn import flash_attn_func


@dataclass
class LMConfig:
    vocab_size: int = 32000
    d_model: int = 2048
    n_heads: int = 16
    n_layers: int = 24
    seq_len: int = 4096
    attn_dropout: float = 0.0


class FlashSelfAttention(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.head_dim = cfg.d_model // cfg.n_heads
        self.Wqkv = nn.Linear(cfg.d_model, 3 * cfg.d_model, bias=False)
        self.out_proj = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.dropout = cfg.attn_dropout

    def forward(self, x):
        B, S, D = x.shape
        qkv = self.Wqkv(x).view(B, S, 3, self.n_heads, self.head_dim)
        q, k, v = qkv.unbind(dim=2)
        out = flash_attn_func(  # expect: ML401
            q, k, v,
            dropout_p=self.dropout if self.training else 0.0,
            softmax_scale=self.head_dim ** -0.5,
            causal=False,
        )
        return self.out_proj(out.reshape(B, S, D))


class Block(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.norm1 = nn.RMSNorm(cfg.d_model)
        self.attn = FlashSelfAttention(cfg)
        self.norm2 = nn.RMSNorm(cfg.d_model)
        self.fc1 = nn.Linear(cfg.d_model, 2 * 4 * cfg.d_model, bias=False)
        self.fc2 = nn.Linear(4 * cfg.d_model, cfg.d_model, bias=False)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        gate, up = self.fc1(self.norm2(x)).chunk(2, dim=-1)
        return x + self.fc2(F.silu(gate) * up)


class DecoderLM(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.seq_len, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.RMSNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)

    def forward(self, input_ids, labels=None):
        x = self.embed(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        for blk in self.blocks:
            x = blk(x)
        logits = self.head(self.norm(x))
        if labels is None:
            return logits
        # next-token objective
        return F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), labels[:, 1:].flatten())


def train_step(model, batch, optimizer):
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = model(batch, labels=batch)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.detach()
