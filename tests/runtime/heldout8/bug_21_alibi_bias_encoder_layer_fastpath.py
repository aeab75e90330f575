# EXPECT: bug float ALiBi bias passed as src_mask to nn.TransformerEncoderLayer; additive in training, but the eval/no_grad fast path treats float masks as boolean (nonzero = masked), so at inference each frame only attends to itself
"""Audio-event tagger: frame embeddings + bidirectional ALiBi (per-head linear
distance penalty) over a stack of batch_first nn.TransformerEncoderLayer.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads):
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def symmetric_alibi(n_heads, seq_len):
    pos = torch.arange(seq_len)
    dist = (pos[None, :] - pos[:, None]).abs().float()  # (L, S)
    return -alibi_slopes(n_heads)[:, None, None] * dist  # (H, L, S)


class AudioTagger(nn.Module):
    def __init__(self, n_mels=16, d_model=32, nhead=4, num_layers=2, num_tags=6, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.frontend = nn.Sequential(nn.Linear(n_mels, d_model), nn.GELU(), nn.Dropout(dropout))
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout, batch_first=True)
            for _ in range(num_layers)
        ])
        self.norm = nn.LayerNorm(d_model)
        self.tagger = nn.Linear(d_model, num_tags)

    def forward(self, mels):
        B, T, _ = mels.shape
        x = self.frontend(mels)
        bias = symmetric_alibi(self.nhead, T)
        bias = bias.unsqueeze(0).expand(B, -1, -1, -1).reshape(B * self.nhead, T, T)
        for layer in self.layers:
            x = layer(x, src_mask=bias)  # BUG-SITE
        frame_logits = self.tagger(self.norm(x))
        # clip-level tags: linear-softmax pooling over frames
        p = frame_logits.sigmoid()
        return (p * p).sum(1) / p.sum(1)


def run():
    torch.manual_seed(0)
    model = AudioTagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    mels = torch.randn(3, 12, 16)
    tags = (torch.rand(3, 6) > 0.6).float()

    model.train()
    clip_probs = model(mels)
    loss = F.binary_cross_entropy(clip_probs.clamp(1e-6, 1 - 1e-6), tags)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_probs = model(mels)
    return [loss.detach(), *grads, eval_probs]
