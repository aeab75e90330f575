"""Adapter attention for a BERT-style host that passes a 4-D additive mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask, dtype=torch.float32):
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class AdapterSelfAttention(nn.Module):
    def __init__(self, hidden=64, heads=4, bottleneck=16, use_sdpa=False):
        super().__init__()
        self.heads = heads
        self.use_sdpa = use_sdpa
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.adapter = nn.Sequential(nn.Linear(hidden, bottleneck), nn.ReLU(), nn.Linear(bottleneck, hidden))

    def forward(self, hidden_states, extended_attention_mask):
        # extended_attention_mask: (B, 1, 1, S), already additive
        B, S, H = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if self.use_sdpa:
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=extended_attention_mask)
        else:
            scores = q @ k.transpose(-1, -2) / (H // self.heads) ** 0.5
            scores = scores + extended_attention_mask
            ctx = scores.softmax(-1) @ v
        ctx = self.out(ctx.transpose(1, 2).reshape(B, S, H))
        return ctx + self.adapter(ctx)


class AdapterEncoder(nn.Module):
    def __init__(self, vocab=1000, hidden=64, layers=2, use_sdpa=False):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(AdapterSelfAttention(hidden, use_sdpa=use_sdpa) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        ext = get_extended_attention_mask(attention_mask)
        h = self.emb(input_ids)
        for layer, norm in zip(self.layers, self.norms):
            h = norm(h + layer(h, ext))
        return h
