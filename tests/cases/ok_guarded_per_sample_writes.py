"""Per-sample padding written under a guard that skips the unpadded samples (`if pad_len:`,
`if n < L:`, `if n != width:`): the guard changes nothing, the mask is the per-sample one."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def collate(seqs, pad_id=0):
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    key_padding_mask = torch.zeros(len(seqs), width, dtype=torch.bool)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        pad_len = width - len(s)
        if pad_len:
            key_padding_mask[i, width - pad_len:] = True
    return ids, key_padding_mask


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 32, padding_idx=0)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, batch_first=True), 2)

    def forward(self, ids, key_padding_mask):
        return self.enc(self.emb(ids), src_key_padding_mask=key_padding_mask)


def main():
    ids, kpm = collate([[5, 6, 7], [8, 9]])
    return Encoder()(ids, kpm)


def frames_keep(feats):
    lengths = [f.size(0) for f in feats]
    width = max(lengths)
    x = torch.nn.utils.rnn.pad_sequence(feats, batch_first=True)
    keep = torch.ones(len(feats), width, dtype=torch.bool)
    for b, n in enumerate(lengths):
        if n < width:
            keep[b, n:] = False
    return x, keep


class FrameAttention(nn.Module):
    def __init__(self, d=16, h=2):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])


def run_frames():
    x, keep = frames_keep([torch.randn(5, 16), torch.randn(3, 16)])
    return FrameAttention()(x, keep)


class Pooler(nn.Module):
    def __init__(self, d=16, h=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, lengths):
        B, T, _ = x.shape
        pad = torch.zeros(B, T, dtype=torch.bool)
        for i in range(B):
            if lengths[i] != T:
                pad[i, lengths[i]:] = True
        return self.mha(x, x, x, key_padding_mask=pad)[0]


pooled = Pooler()(torch.randn(2, 6, 16), torch.tensor([6, 4]))
