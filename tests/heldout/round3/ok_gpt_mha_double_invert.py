"""GPT-style decoder on nn.MultiheadAttention that accepts right-padded
batches with a Hugging Face style attention_mask (1 = real token)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    vocab_size: int = 32000
    n_ctx: int = 512
    d_model: int = 512
    n_heads: int = 8
    n_layers: int = 8
    dropout: float = 0.1


class DecoderBlock(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.d_model)
        self.ln_2 = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, dropout=cfg.dropout, batch_first=True)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(),
            nn.Linear(4 * cfg.d_model, cfg.d_model), nn.Dropout(cfg.dropout),
        )
        # keep-mask: query i may see keys 0..i
        self.register_buffer("visible", torch.tril(torch.ones(cfg.n_ctx, cfg.n_ctx)).bool(), persistent=False)

    def forward(self, x, attention_mask=None):
        T = x.size(1)
        # nn.MultiheadAttention wants True = "do not attend", so flip both masks
        causal_block = ~self.visible[:T, :T]
        pad_block = attention_mask.eq(0) if attention_mask is not None else None
        h = self.ln_1(x)
        a, _ = self.attn(
            h, h, h,
            attn_mask=causal_block,
            key_padding_mask=pad_block,
            need_weights=False,
        )
        x = x + a
        return x + self.mlp(self.ln_2(x))


class Decoder(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.wpe = nn.Embedding(cfg.n_ctx, cfg.d_model)
        self.blocks = nn.ModuleList(DecoderBlock(cfg) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, labels=None):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.wte(input_ids) + self.wpe(pos)
        for blk in self.blocks:
            x = blk(x, attention_mask)
        logits = self.lm_head(self.ln_f(x))
        if labels is None:
            return logits
        labels = labels.masked_fill(attention_mask == 0, -100) if attention_mask is not None else labels
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
