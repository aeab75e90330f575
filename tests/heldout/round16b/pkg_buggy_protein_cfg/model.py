import torch
import torch.nn as nn

from .config import ModelConfig


class ProteinTransformer(nn.Module):
    def __init__(self, cfg: ModelConfig = ModelConfig()):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.n_heads, 4 * cfg.d_model, cfg.dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def forward(self, seqs):
        n = seqs.size(1)
        x = self.embed(seqs) + self.pos(torch.arange(n, device=seqs.device))
        mask = nn.Transformer.generate_square_subsequent_mask(n, device=seqs.device) if self.cfg.causal else None
        return self.lm_head(self.encoder(x, mask=mask))  # expect: ML401
