import torch
import torch.nn as nn

from .config import LMConfig


class PeptideLM(nn.Module):
    def __init__(self, cfg: LMConfig = LMConfig()):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(128, cfg.d_model)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.n_heads, 2 * cfg.d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def forward(self, seqs):
        n = seqs.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(n) if self.cfg.causal else None
        x = self.embed(seqs) + self.pos.weight[:n]
        return self.head(self.encoder(x, mask=mask, is_causal=self.cfg.causal))
