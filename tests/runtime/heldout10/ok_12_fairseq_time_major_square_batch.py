# EXPECT: ok time-major (T, B, C) activations with nn.MultiheadAttention (batch_first=False) and T == B, but the key_padding_mask is correctly built batch-major (B, T) from the batch-major src_tokens before the transpose.
"""Translation encoder in the style of facebookresearch/fairseq TransformerEncoder (time-major activations, encoder_padding_mask = src_tokens.eq(padding_idx))."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, d, h, ff, p):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h, dropout=p)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, ff)
        self.fc2 = nn.Linear(ff, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.p = p

    def forward(self, x, encoder_padding_mask):
        residual = x
        x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask, need_weights=False)
        x = residual + F.dropout(x, self.p, self.training)
        residual = x
        x = self.fc2(F.relu(self.fc1(self.final_layer_norm(x))))
        return residual + F.dropout(x, self.p, self.training)


class Encoder(nn.Module):
    def __init__(self, vocab=60, d=32, h=4, ff=64, n=2, p=0.1, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, d, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(32, d)
        self.scale = math.sqrt(d)
        self.layers = nn.ModuleList([EncoderLayer(d, h, ff, p) for _ in range(n)])
        self.layer_norm = nn.LayerNorm(d)
        self.p = p

    def forward(self, src_tokens):
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        positions = torch.arange(src_tokens.size(1))[None].expand_as(src_tokens)
        x = self.scale * self.embed_tokens(src_tokens) + self.embed_positions(positions)
        x = F.dropout(x, self.p, self.training)
        x = x.transpose(0, 1)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        return self.layer_norm(x), encoder_padding_mask


class LengthPredictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Linear(32, 8)

    def forward(self, src_tokens):
        x, pad = self.encoder(src_tokens)
        keep = (~pad).t().unsqueeze(-1).float()
        return self.head((x * keep).sum(0) / keep.sum(0))


def batch(lengths, T):
    toks = torch.ones(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        toks[i, :n] = torch.randint(2, 60, (n,))
    return toks


def run():
    torch.manual_seed(0)
    model = LengthPredictor()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.98))
    src = batch([6, 5, 5, 3, 2, 2], 6)
    model.train()
    loss = F.cross_entropy(model(src), torch.tensor([5, 4, 4, 2, 1, 1]))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        out = model(batch([5, 5, 4, 2, 2], 5)).softmax(-1)
    return [loss.detach(), *grads, out]
