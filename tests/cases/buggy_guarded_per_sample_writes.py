"""The same guarded per-sample writes, with the polarity wrong for the API that reads them: the
guard does not hide the bug."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def collate(seqs, pad_id=0):
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    keep = torch.ones(len(seqs), width, dtype=torch.bool)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        if len(s) < width:
            keep[i, len(s):] = False
    return ids, keep


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 32, padding_idx=0)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, batch_first=True), 2)

    def forward(self, ids, keep):
        return self.enc(self.emb(ids), src_key_padding_mask=keep)


def main():
    ids, keep = collate([[5, 6, 7], [8, 9]])
    return Encoder()(ids, keep)  # expect: ML101


class FrameAttention(nn.Module):
    def __init__(self, d=16, h=2):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, lengths):
        B, T, D = x.shape
        pad = torch.zeros(B, T, dtype=torch.bool)
        for b in range(B):
            pad_len = T - int(lengths[b])
            if pad_len > 0:
                pad[b, T - pad_len:] = True
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # expect: ML102
