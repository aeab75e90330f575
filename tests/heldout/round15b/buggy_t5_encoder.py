"""Small T5-style encoder (relative position buckets, no absolute positions)."""
import math
from dataclasses import dataclass

import torch
from torch import nn
import torch.nn.functional as F


@dataclass
class EncoderConfig:
    vocab_size: int = 64
    d_model: int = 32
    num_heads: int = 4
    num_layers: int = 2
    num_buckets: int = 16
    max_distance: int = 32
    pad_token_id: int = 0


def relative_bucket(relative_position, num_buckets, max_distance):
    num_buckets //= 2
    ret = (relative_position > 0).long() * num_buckets
    n = relative_position.abs()
    max_exact = num_buckets // 2
    is_small = n < max_exact
    large = max_exact + (
        torch.log(n.float().clamp(min=1) / max_exact)
        / math.log(max_distance / max_exact)
        * (num_buckets - max_exact)
    ).long()
    large = large.clamp(max=num_buckets - 1)
    return ret + torch.where(is_small, n, large)


class RelativeBias(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.table = nn.Embedding(cfg.num_buckets, cfg.num_heads)

    def forward(self, q_len, k_len, device):
        ctx = torch.arange(q_len, device=device)[:, None]
        mem = torch.arange(k_len, device=device)[None, :]
        buckets = relative_bucket(mem - ctx, self.cfg.num_buckets, self.cfg.max_distance)
        return self.table(buckets).permute(2, 0, 1).unsqueeze(0)


class EncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_heads
        self.q = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.k = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.v = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.o = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.norm1 = nn.LayerNorm(cfg.d_model)
        self.norm2 = nn.LayerNorm(cfg.d_model)
        self.ff = nn.Sequential(nn.Linear(cfg.d_model, 2 * cfg.d_model), nn.ReLU(),
                                nn.Linear(2 * cfg.d_model, cfg.d_model))

    def split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.h, d // self.h).transpose(1, 2)

    def forward(self, x, position_bias):
        h = self.norm1(x)
        q, k, v = self.split(self.q(h)), self.split(self.k(h)), self.split(self.v(h))
        attn = F.scaled_dot_product_attention(q, k, v, attn_mask=position_bias, scale=1.0)  # expect: ML103
        x = x + self.o(attn.transpose(1, 2).flatten(2))
        return x + self.ff(self.norm2(x))


class T5StyleEncoder(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_token_id)
        self.rel = RelativeBias(cfg)
        self.layers = nn.ModuleList([EncoderLayer(cfg) for _ in range(cfg.num_layers)])
        self.final = nn.LayerNorm(cfg.d_model)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        n = input_ids.size(1)
        extended = attention_mask[:, None, None, :].to(x.dtype) * torch.finfo(x.dtype).min
        position_bias = self.rel(n, n, x.device) + extended
        for layer in self.layers:
            x = layer(x, position_bias)
        return self.final(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = EncoderConfig()
    enc = T5StyleEncoder(cfg)
    ids = torch.tensor([[4, 9, 13, 2, 0, 0], [7, 8, 9, 10, 11, 2]])
    am = (ids != cfg.pad_token_id).long()
    out = enc(ids, am)
    pooled = (out * am[..., None]).sum(1) / am.sum(1, keepdim=True)
    print(out.shape, pooled.norm(dim=-1))
