from dataclasses import dataclass, field

import torch
import torch.nn as nn


@dataclass
class GeneratorConfig:
    vocab_size: int = 64
    d_model: int = 128
    nhead: int = 8
    num_layers: int = 3
    dim_feedforward: int = 256
    dropout: float = 0.1
    max_len: int = 120
    special_tokens: dict = field(default_factory=lambda: {"pad": 0, "bos": 1, "eos": 2})


def make_layer(kind, cfg):
    layer_cls = {"encoder": nn.TransformerEncoderLayer, "decoder": nn.TransformerDecoderLayer}[kind]
    return layer_cls(cfg.d_model, cfg.nhead, cfg.dim_feedforward, cfg.dropout, batch_first=True)


def causal_mask(size, device):
    return torch.triu(torch.ones(size, size, device=device, dtype=torch.bool), diagonal=1)


class SmilesEmbedding(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.special_tokens["pad"])
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)

    def forward(self, ids):
        positions = torch.arange(ids.size(1), device=ids.device)
        return self.tok(ids) + self.pos(positions)[None]


class MoleculeGenerator(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = SmilesEmbedding(cfg)
        self.encoder = nn.TransformerEncoder(make_layer("encoder", cfg), cfg.num_layers)
        self.decoder = nn.TransformerDecoder(make_layer("decoder", cfg), cfg.num_layers)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def encode(self, scaffold_ids):
        pad = scaffold_ids == self.cfg.special_tokens["pad"]
        return self.encoder(self.embed(scaffold_ids), src_key_padding_mask=pad), pad

    def decode(self, tgt_ids, memory, memory_pad):
        tgt = self.embed(tgt_ids)
        tgt_pad = tgt_ids == self.cfg.special_tokens["pad"]
        out = self.decoder(
            tgt, memory,
            tgt_mask=causal_mask(tgt.size(1), tgt_ids.device),
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=memory_pad,
        )
        return self.lm_head(out)

    def forward(self, scaffold_ids, tgt_ids):
        memory, memory_pad = self.encode(scaffold_ids)
        return self.decode(tgt_ids, memory, memory_pad)


def build_generator(**overrides):
    return MoleculeGenerator(GeneratorConfig(**overrides))
