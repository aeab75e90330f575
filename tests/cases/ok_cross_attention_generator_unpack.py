"""One attention class for self- and cross-attention (GPT-2 with add_cross_attention, a BLIP text
decoder): the heads are split with a generator over (q, k, v), so each of them keeps where it came
from.  Self-attention is causal through is_causal when no mask is given; cross-attention gets the
image's padding mask and no causal mask, as it should."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab: int = 70
    dim: int = 32
    heads: int = 4


class GPT2Attention(nn.Module):
    def __init__(self, cfg, cross=False):
        super().__init__()
        self.heads, self.cross = cfg.heads, cross
        if cross:
            self.q_proj = nn.Linear(cfg.dim, cfg.dim)
            self.kv_proj = nn.Linear(cfg.dim, 2 * cfg.dim)
        else:
            self.qkv_proj = nn.Linear(cfg.dim, 3 * cfg.dim)

    def forward(self, x, attention_mask=None, context=None):
        B, T, C = x.shape
        if self.cross:
            q = self.q_proj(x)
            k, v = self.kv_proj(context).split(C, dim=2)
        else:
            q, k, v = self.qkv_proj(x).split(C, dim=2)
        q, k, v = (t.view(B, t.shape[1], self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=not self.cross and attention_mask is None)
        return y.transpose(1, 2).reshape(B, T, C)


class CaptionDecoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.self_attn = GPT2Attention(cfg)
        self.cross_attn = GPT2Attention(cfg, cross=True)
        self.lm_head = nn.Linear(cfg.dim, cfg.vocab)

    def forward(self, ids, image, encoder_attention_mask):
        h = self.tok(ids)
        h = h + self.self_attn(h)
        h = h + self.cross_attn(h, attention_mask=encoder_attention_mask.bool()[:, None, None, :], context=image)
        return self.lm_head(h)


def train_step(model, ids, image, encoder_attention_mask):
    logits = model(ids[:, :-1], image, encoder_attention_mask)
    return F.cross_entropy(logits.reshape(-1, 70), ids[:, 1:].reshape(-1))
