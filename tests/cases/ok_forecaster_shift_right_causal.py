"""The same forecasters with a causal mask on the decoder, and a query decoder (DETR-style) that
attends among fixed queries without one: it is not fed shifted targets."""
import torch
import torch.nn as nn


def shift_right(history, targets):
    return torch.cat([history[:, -1:], targets[:, :-1]], dim=1)


class Forecaster(nn.Module):
    def __init__(self, features=3, d=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(features, d)
        self.model = nn.Transformer(d, heads, 2, 2, 64, batch_first=True)
        self.out = nn.Linear(d, features)

    def forward(self, history, decoder_inputs):
        causal = nn.Transformer.generate_square_subsequent_mask(decoder_inputs.size(1))
        h = self.model(self.inp(history), self.inp(decoder_inputs), tgt_mask=causal)
        return self.out(h)


class QueryDecoder(nn.Module):
    def __init__(self, d=16, heads=2, queries=10):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(queries, 1, d))
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads), 2)

    def forward(self, memory):
        q = self.queries.expand(-1, memory.size(1), -1)
        return self.decoder(q, memory)
