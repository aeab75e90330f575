"""Buggy: padding mask built by data-dependent Python code in the MHA convention (True = pad), passed to SDPA
(True = attend): queries attend only to padding; the unpadded sample attends to nothing."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


def padding_mask_from_lengths(lengths, S):
    rows = []
    for n in lengths.tolist():
        rows.append([j >= n for j in range(S)])
    return torch.tensor(rows)


class Encoder(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.H = H
        self.emb = nn.Embedding(vocab, E)
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, ids, lengths):
        x = self.emb(ids)
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        m = padding_mask_from_lengths(lengths, L)[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=m)  # expect: ML102 also-ok: ML601,ML602


def _setup():
    torch.manual_seed(0)
    ids = torch.randint(1, 40, (3, 6))
    lengths = torch.tensor([6, 4, 3])
    ids[1, 4:] = 0
    ids[2, 3:] = 0
    return Encoder().train(), ids, lengths


def run():
    m, ids, lengths = _setup()
    return (m(ids, lengths),)


def verify():
    m, ids, lengths = _setup()
    out = m(ids, lengths)
    zero0 = bool((out[0] == 0).all())
    with torch.no_grad():
        m.emb.weight[0] += 1.0
    out2 = m(ids, lengths)
    d = (out[1, :, :4] - out2[1, :, :4]).abs().max().item()
    return zero0 and d > 1e-4, f"sample 0 output all zeros: {zero0}; sample 1 real queries moved by {d:.3g} when pad embedding changed"
