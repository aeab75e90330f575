"""Correct: left-padded HF batch, keep mask (N,1,1,S) into SDPA; the longest sample has no padding.
Content looks like a right-padded BLOCK mask (True on the tail) but no sample ends up fully masked."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class BertishAttention(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.H = H
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        keep = attention_mask.bool()[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def _setup():
    torch.manual_seed(0)
    ids = torch.tensor([[1, 2, 3, 4, 5, 6], [0, 0, 7, 8, 9, 1], [0, 0, 0, 3, 2, 1]])
    return BertishAttention().eval(), ids, (ids != 0).long()


def run():
    m, ids, am = _setup()
    with torch.no_grad():
        return (m(ids, am),)


def verify():
    m, ids, am = _setup()
    with torch.no_grad():
        a = m(ids, am)
        m.emb.weight[0] += 1.0
        b = m(ids, am)
    real = am.bool()[:, None, :].expand(-1, 2, -1)
    d = (a - b)[real].abs().max().item()
    zero_rows = (a == 0).all(-1).any().item()
    return d == 0.0 and not zero_rows, f"real tokens moved by {d}; zero rows: {zero_rows}"
