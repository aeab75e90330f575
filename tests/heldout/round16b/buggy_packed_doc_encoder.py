import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class PackedEncoderConfig:
    vocab_size: int = 1000
    hidden_size: int = 64
    num_heads: int = 4
    num_layers: int = 2
    max_position: int = 256
    pad_token_id: int = 0


class PackedSentenceEncoder(nn.Module):
    """Encodes several short documents packed into one row (document ids per token)."""

    def __init__(self, config: PackedEncoderConfig):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.embed_positions = nn.Embedding(config.max_position, config.hidden_size)
        layer = nn.TransformerEncoderLayer(
            config.hidden_size, config.num_heads, 4 * config.hidden_size, dropout=0.0, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, config.num_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(config.hidden_size)

    def _document_mask(self, attention_mask, document_ids):
        valid = attention_mask.bool()
        same_doc = document_ids[:, :, None] == document_ids[:, None, :]
        allowed = same_doc & valid[:, None, :]
        eye = torch.eye(document_ids.size(1), dtype=torch.bool, device=document_ids.device)
        allowed = torch.logical_or(allowed, eye)
        return allowed.repeat_interleave(self.config.num_heads, dim=0)

    def forward(self, input_ids, attention_mask, document_ids):
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.embed_tokens(input_ids) * math.sqrt(self.config.hidden_size) + self.embed_positions(positions)
        mask = self._document_mask(attention_mask, document_ids)
        h = self.encoder(h, mask=mask)  # expect: ML101
        h = self.norm(h)
        pooled = []
        for b in range(input_ids.size(0)):
            docs = document_ids[b][attention_mask[b].bool()].unique()
            pooled.append(torch.stack([h[b][document_ids[b] == d].mean(0) for d in docs]))
        return h, pooled


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = PackedEncoderConfig()
    model = PackedSentenceEncoder(cfg)
    ids = torch.randint(1, cfg.vocab_size, (2, 12))
    am = torch.ones_like(ids)
    am[1, 9:] = 0
    ids[1, 9:] = cfg.pad_token_id
    docs = torch.tensor([[0] * 5 + [1] * 7, [0] * 4 + [1] * 5 + [2] * 3])
    hidden, pooled = model(ids, am, docs)
    print(hidden.shape, [p.shape for p in pooled])
