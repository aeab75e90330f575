"""Text-to-SQL decoder: SQL tokens attend causally to themselves and to the
encoded question+schema tokens."""
import torch
import torch.nn as nn

from . import masking
from .layers import DecoderLayer


class Text2SQL(nn.Module):
    def __init__(self, vocab=800, dim=64, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.schema_enc = nn.GRU(dim, dim // 2, batch_first=True, bidirectional=True)
        self.layers = nn.ModuleList(DecoderLayer(dim, heads) for _ in range(depth))
        self.lm = nn.Linear(dim, vocab)

    def forward(self, schema_ids, sql_ids):
        schema, _ = self.schema_enc(self.emb(schema_ids))
        self_mask = masking.causal_mask(sql_ids.size(1), sql_ids.device)
        schema_mask = masking.schema_key_mask(schema_ids)
        x = self.emb(sql_ids)
        for layer in self.layers:
            x = layer(x, schema, self_mask, schema_mask)
        return self.lm(x)
