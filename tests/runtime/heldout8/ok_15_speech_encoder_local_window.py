# EXPECT: clean
"""Speech encoder (ESPnet-like Conv2d x4 subsampling) with local self-attention:
each frame attends to frames within +/- WINDOW (bidirectional; this is an
encoder trained with CTC, not an autoregressive LM). The window mask uses
nn.MultiheadAttention's convention (True = blocked) and is combined with a
key_padding_mask built from the subsampled lengths.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

WINDOW = 4


class Conv2dSubsampling(nn.Module):
    def __init__(self, idim, odim, dropout):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 4, 3, 2), nn.ReLU(), nn.Conv2d(4, 4, 3, 2), nn.ReLU())
        self.out = nn.Linear(4 * (((idim - 1) // 2 - 1) // 2), odim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, lengths):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        for _ in range(2):
            lengths = torch.div(lengths - 3, 2, rounding_mode="floor") + 1
        return self.dropout(x), lengths


class LocalAttentionBlock(nn.Module):
    def __init__(self, d_model, nhead, dropout):
        super().__init__()
        self.norm_mha = nn.LayerNorm(d_model)
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.norm_ff = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.SiLU(), nn.Dropout(dropout), nn.Linear(4 * d_model, d_model))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, window_mask, pad_mask):
        h = self.norm_mha(x)
        h, _ = self.self_attn(h, h, h, attn_mask=window_mask, key_padding_mask=pad_mask, need_weights=False)
        x = x + self.dropout(h)
        return x + 0.5 * self.dropout(self.ff(self.norm_ff(x)))


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=20, d_model=32, nhead=4, num_blocks=2, vocab=12, dropout=0.1):
        super().__init__()
        self.embed = Conv2dSubsampling(n_mels, d_model, dropout)
        self.blocks = nn.ModuleList([LocalAttentionBlock(d_model, nhead, dropout) for _ in range(num_blocks)])
        self.after_norm = nn.LayerNorm(d_model)
        self.ctc_lo = nn.Linear(d_model, vocab)
        self.d_model = d_model

    def forward(self, feats, feat_lengths):
        x, lengths = self.embed(feats, feat_lengths)
        T = x.size(1)
        pos = torch.arange(T)
        window_mask = (pos[None, :] - pos[:, None]).abs() > WINDOW      # (T, T), True = blocked
        pad_mask = pos[None, :] >= lengths[:, None]                     # (B, T), True = padding
        x = x * math.sqrt(self.d_model)
        for blk in self.blocks:
            x = blk(x, window_mask, pad_mask)
        return self.ctc_lo(self.after_norm(x)).log_softmax(-1), lengths


def make_batch(lengths, n_mels=20):
    T = max(lengths)
    feats = torch.zeros(len(lengths), T, n_mels)
    for i, n in enumerate(lengths):
        feats[i, :n] = torch.randn(n, n_mels)
    return feats, torch.tensor(lengths)


def run():
    torch.manual_seed(0)
    model = CTCEncoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats, feat_lengths = make_batch([64, 56, 48])
    targets = torch.randint(1, 12, (3, 5))
    target_lengths = torch.tensor([5, 4, 3])

    model.train()
    log_probs, out_lengths = model(feats, feat_lengths)
    loss = F.ctc_loss(log_probs.transpose(0, 1), targets, out_lengths, target_lengths, blank=0, zero_infinity=True)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_log_probs, eval_lengths = model(feats, feat_lengths)
        best_path = eval_log_probs.argmax(-1).masked_fill(torch.arange(eval_log_probs.size(1))[None] >= eval_lengths[:, None], -1)
    return [loss.detach(), *grads, eval_log_probs, best_path]
