"""The decision transformer's block-causal mask alone, and a token-level causal mask given with
the matching hint."""
import torch
import torch.nn as nn


class TripleEncoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, tokens):
        steps = torch.arange(tokens.size(1), device=tokens.device) // 3
        later_step = steps.unsqueeze(0) > steps.unsqueeze(1)
        return self.encoder(tokens, mask=later_step)


class TokenDecoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, tokens):
        positions = torch.arange(tokens.size(1), device=tokens.device)
        future = positions.unsqueeze(0) > positions.unsqueeze(1)
        return self.encoder(tokens, mask=future, is_causal=True)
