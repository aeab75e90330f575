from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .decoder import TokenDecoder
from .encoder import FbankEncoder


@dataclass
class AEDConfig:
    n_mels: int = 40
    vocab: int = 64
    d_model: int = 64
    nhead: int = 4
    enc_layers: int = 2
    dec_layers: int = 2
    pad_id: int = 0
    sos_id: int = 1
    eos_id: int = 2


class AttentionEncoderDecoder(nn.Module):
    def __init__(self, cfg: AEDConfig = AEDConfig()):
        super().__init__()
        self.cfg = cfg
        self.encoder = FbankEncoder(cfg.n_mels, cfg.d_model, cfg.nhead, cfg.enc_layers)
        self.decoder = TokenDecoder(cfg.vocab, cfg.d_model, cfg.nhead, cfg.dec_layers)

    def forward(self, feats, feat_lens, tokens_in):
        return self.decoder(tokens_in, self.encoder(feats, feat_lens), self.cfg.pad_id)

    def loss(self, feats, feat_lens, tokens: torch.Tensor) -> torch.Tensor:
        sos = torch.full_like(tokens[:, :1], self.cfg.sos_id)
        logits = self(feats, feat_lens, torch.cat([sos, tokens], 1))
        eos_target = torch.cat([tokens, torch.full_like(tokens[:, :1], self.cfg.pad_id)], 1)
        lengths = tokens.ne(self.cfg.pad_id).sum(1)
        eos_target[torch.arange(tokens.size(0)), lengths] = self.cfg.eos_id
        return F.cross_entropy(logits.transpose(1, 2), eos_target, ignore_index=self.cfg.pad_id)

    @torch.no_grad()
    def greedy_decode(self, feats, feat_lens, max_len: int = 20) -> torch.Tensor:
        enc = self.encoder(feats, feat_lens)
        hyp = torch.full((feats.size(0), 1), self.cfg.sos_id, dtype=torch.long)
        for _ in range(max_len):
            nxt = self.decoder(hyp, enc, self.cfg.pad_id)[:, -1].argmax(-1, keepdim=True)
            hyp = torch.cat([hyp, nxt], 1)
        return hyp[:, 1:]
