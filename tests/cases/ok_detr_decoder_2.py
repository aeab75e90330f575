"""Set-prediction decoder (DETR-like, batch-first): learned queries, no causal mask."""
import torch
import torch.nn as nn


class QueryDecoder(nn.Module):
    def __init__(self, d_model=64, nhead=4, num_layers=2, num_queries=8):
        super().__init__()
        self.query_pos = nn.Parameter(torch.randn(num_queries, d_model))
        layer = nn.TransformerDecoderLayer(d_model, nhead, 128, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers)
        self.box = nn.Linear(d_model, 4)

    def forward(self, memory, memory_pad):
        # memory: (N, S, D) encoder output; memory_pad: (N, S) True at padding
        N = memory.size(0)
        queries = self.query_pos.unsqueeze(0).expand(N, -1, -1)
        hs = self.decoder(torch.zeros_like(queries) + queries, memory, memory_key_padding_mask=memory_pad)
        return self.box(hs).sigmoid()
