# EXPECT: ok
"""Frozen FlexAttention audio encoder (causal sliding window, padded frames excluded as keys)
with a trainable CTC head on top. Every query can see at least frame 0."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")

WINDOW = 4


def make_mask_mod(frame_lengths, window=WINDOW):
    def sliding_window_causal(b, h, q_idx, kv_idx):
        causal = q_idx >= kv_idx
        in_window = q_idx - kv_idx < window
        real_key = kv_idx < frame_lengths[b]
        return causal & (in_window | (kv_idx == 0)) & real_key
    return sliding_window_causal


class FlexLayer(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(p), nn.Linear(2 * d, d))

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        x = x + self.proj(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(B, T, D))
        return x + self.ff(self.norm2(x))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=16, d=32, heads=4, depth=2, p=0.1):
        super().__init__()
        self.front = nn.Linear(n_mels, d)
        self.layers = nn.ModuleList([FlexLayer(d, heads, p) for _ in range(depth)])

    def forward(self, feats, frame_lengths):
        B, T, _ = feats.shape
        bm = create_block_mask(make_mask_mod(frame_lengths), B, None, T, T, device="cpu")
        x = self.front(feats)
        for layer in self.layers:
            x = layer(x, bm)
        return x


class CTCModel(nn.Module):
    def __init__(self, d=32, vocab=12, p=0.2):
        super().__init__()
        self.encoder = AudioEncoder(d=d).requires_grad_(False)
        self.head = nn.Sequential(nn.Dropout(p), nn.Linear(d, vocab))

    def forward(self, feats, frame_lengths):
        return self.head(self.encoder(feats, frame_lengths)).log_softmax(-1)


def run():
    torch.manual_seed(0)
    model = CTCModel()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    frame_lengths = torch.tensor([20, 14, 17])
    feats = torch.randn(3, 20, 16) * (torch.arange(20)[None, :, None] < frame_lengths[:, None, None])
    targets, tgt_lens = torch.randint(1, 12, (3, 5)), torch.tensor([5, 3, 4])
    model.train()
    logp = model(feats, frame_lengths)
    loss = nn.CTCLoss(blank=0)(logp.transpose(0, 1), targets, frame_lengths, tgt_lens)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(feats, frame_lengths)
    return [loss.detach(), ev]
