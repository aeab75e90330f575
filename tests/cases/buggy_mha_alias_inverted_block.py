"""Music-token transformer: MHA imported under an alias, causal mask built by a helper.

The helper inverts the usual MHA mask with ``~`` ("True = visible", as the author wrote for an
earlier SDPA version) and the conditional keeps that polarity.  nn.MultiheadAttention blocks
where True: the model attends only to the future.
"""
import torch
from torch import nn
from torch.nn import MultiheadAttention as MHA


def visible_positions(n, device=None):
    future = torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)
    return ~future


class DecoderBlock(nn.Module):
    def __init__(self, d_model=512, n_heads=8, causal=True):
        super().__init__()
        self.causal = causal
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MHA(d_model, n_heads, dropout=0.1, batch_first=True)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2048), nn.ReLU(), nn.Linear(2048, d_model))

    def forward(self, x):
        T = x.size(1)
        mask = visible_positions(T, x.device) if self.causal else None
        h = self.norm1(x)
        h, _ = self.self_attn(h, h, h, attn_mask=mask, need_weights=False)  # expect: ML101
        x = x + h
        return x + self.ff(self.norm2(x))


class MusicTransformer(nn.Module):
    def __init__(self, n_tokens=388, d_model=512, n_layers=6):
        super().__init__()
        self.embed = nn.Embedding(n_tokens, d_model)
        self.layers = nn.ModuleList([DecoderBlock(d_model) for _ in range(n_layers)])
        self.out = nn.Linear(d_model, n_tokens)

    def forward(self, tokens):
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x)
        return self.out(x)
