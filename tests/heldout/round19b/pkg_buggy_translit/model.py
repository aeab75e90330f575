import torch
from torch import nn

from .config import TranslitConfig
from .layers import DecoderBlock, EncoderBlock


class Transliterator(nn.Module):
    def __init__(self, cfg: TranslitConfig):
        super().__init__()
        self.cfg = cfg
        self.src_emb = nn.Embedding(cfg.src_vocab, cfg.d_model, padding_idx=cfg.pad_id)
        self.tgt_emb = nn.Embedding(cfg.tgt_vocab, cfg.d_model, padding_idx=cfg.pad_id)
        self.pos = nn.Embedding(cfg.max_len + 1, cfg.d_model)
        self.encoder = nn.ModuleList(EncoderBlock(cfg.d_model, cfg.n_heads, cfg.dropout) for _ in range(cfg.n_layers))
        self.decoder = nn.ModuleList(DecoderBlock(cfg.d_model, cfg.n_heads, cfg.dropout) for _ in range(cfg.n_layers))
        self.proj = nn.Linear(cfg.d_model, cfg.tgt_vocab)

    def _positions(self, x):
        return self.pos(torch.arange(x.size(1), device=x.device))

    def encode(self, src, src_pad):
        h = self.src_emb(src) + self._positions(src)
        for blk in self.encoder:
            h = blk(h, src_pad)
        return h

    def decode(self, tgt_in, memory, src_pad, tgt_pad):
        T = tgt_in.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt_in.device), 1)
        y = self.tgt_emb(tgt_in) + self._positions(tgt_in)
        for blk in self.decoder:
            y = blk(y, memory, causal, tgt_pad, src_pad)  # BUG: positional order is (causal, memory_pad, self_pad): the target padding lands on the encoder memory
        return self.proj(y)

    def forward(self, src, src_pad, tgt_in, tgt_pad):
        memory = self.encode(src, src_pad)
        return self.decode(tgt_in, memory, src_pad, tgt_pad)
