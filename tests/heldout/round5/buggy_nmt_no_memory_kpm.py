"""Neural machine translation with separate encoder / decoder stacks (batch_first)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class NMTConfig:
    src_vocab: int = 8000
    tgt_vocab: int = 8000
    d_model: int = 256
    nhead: int = 8
    layers: int = 3
    pad_id: int = 0


class NMT(nn.Module):
    def __init__(self, cfg: NMTConfig):
        super().__init__()
        self.cfg = cfg
        self.src_emb = nn.Embedding(cfg.src_vocab, cfg.d_model, padding_idx=cfg.pad_id)
        self.tgt_emb = nn.Embedding(cfg.tgt_vocab, cfg.d_model, padding_idx=cfg.pad_id)
        enc_layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 4 * cfg.d_model, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(cfg.d_model, cfg.nhead, 4 * cfg.d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, cfg.layers)
        self.decoder = nn.TransformerDecoder(dec_layer, cfg.layers)
        self.generator = nn.Linear(cfg.d_model, cfg.tgt_vocab)

    def forward(self, src, tgt_in):
        src_pad = src.eq(self.cfg.pad_id)
        tgt_pad = tgt_in.eq(self.cfg.pad_id)
        T = tgt_in.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=src.device, dtype=torch.bool)
        memory = self.encoder(self.src_emb(src), src_key_padding_mask=src_pad)
        out = self.decoder(  # expect: ML502
            self.tgt_emb(tgt_in),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=tgt_pad,
        )
        return self.generator(out)


def label_smoothed_loss(model, src, tgt, eps=0.1):
    logits = model(src, tgt[:, :-1])
    return F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=model.cfg.pad_id, label_smoothing=eps)


if __name__ == "__main__":
    m = NMT(NMTConfig())
    src = torch.randint(1, 8000, (2, 15))
    src[1, 9:] = 0
    tgt = torch.randint(1, 8000, (2, 11))
    print(label_smoothed_loss(m, src, tgt).item())
