"""Streaming chunk-wise speech encoder (WeNet idiom) on nn.MultiheadAttention.
The chunk mask keeps WeNet's 'True = may attend' convention everywhere in the
code base; it is flipped exactly once, where it meets the torch module."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class StreamingConfig:
    input_dim: int = 20
    d_model: int = 32
    heads: int = 4
    blocks: int = 2
    static_chunk_size: int = 4


def subsequent_chunk_mask(size: int, chunk_size: int, device=torch.device("cpu")) -> torch.Tensor:
    """ret[i, j] is True when frame i may look at frame j (its own chunk and the past)."""
    ret = torch.zeros(size, size, device=device, dtype=torch.bool)
    for i in range(size):
        ending = min((i // chunk_size + 1) * chunk_size, size)
        ret[i, 0:ending] = True
    return ret


def make_pad_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]


class StreamingBlock(nn.Module):
    def __init__(self, cfg: StreamingConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(cfg.d_model)
        self.self_attn = nn.MultiheadAttention(cfg.d_model, cfg.heads, batch_first=True)
        self.norm2 = nn.LayerNorm(cfg.d_model)
        self.ffn = nn.Sequential(nn.Linear(cfg.d_model, 2 * cfg.d_model), nn.ReLU(), nn.Linear(2 * cfg.d_model, cfg.d_model))

    def forward(self, x, chunk_keep, pad_mask):
        h = self.norm1(x)
        h, _ = self.self_attn(h, h, h, attn_mask=torch.logical_not(chunk_keep), key_padding_mask=pad_mask,
                              need_weights=False)
        x = x + h
        return x + self.ffn(self.norm2(x))


class StreamingEncoder(nn.Module):
    def __init__(self, cfg: StreamingConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Linear(cfg.input_dim, cfg.d_model)
        self.encoders = nn.ModuleList([StreamingBlock(cfg) for _ in range(cfg.blocks)])

    def forward(self, feats, lens):
        xs = self.embed(feats)
        pad_mask = make_pad_mask(lens, xs.size(1))
        chunk_keep = subsequent_chunk_mask(xs.size(1), self.cfg.static_chunk_size, xs.device)
        for layer in self.encoders:
            xs = layer(xs, chunk_keep, pad_mask)
        return xs


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = StreamingConfig()
    enc = StreamingEncoder(cfg)
    feats = torch.randn(2, 12, cfg.input_dim)
    lens = torch.tensor([12, 10])
    for mode in ("train", "eval"):
        getattr(enc, mode)()
        with torch.no_grad():
            out = enc(feats, lens)
            later = feats.clone()
            later[:, 8:] += 3.0  # only the last chunk changes
            out_later = enc(later, lens)
        leak = (out[:, :8] - out_later[:, :8]).abs().max().item()
        assert leak < 1e-5, leak
        assert not torch.isnan(out[0]).any() and not torch.isnan(out[1, :10]).any()
        print(mode, "ok: first two chunks unaffected by the last one")
