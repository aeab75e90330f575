import torch
import torch.nn as nn
import torch.nn.functional as F


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=1000, d=64, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, ids):
        pad = ids == self.pad_id
        h = self.enc(self.emb(ids))  # expect: ML504
        keep = (~pad).unsqueeze(-1).float()
        return (h * keep).sum(1) / keep.sum(1).clamp(min=1)


def attend(q_in, kv_in, heads, mask=None):
    b, nq, d = q_in.shape
    q = q_in.view(b, nq, heads, -1).transpose(1, 2)
    k = kv_in.view(b, kv_in.size(1), heads, -1).transpose(1, 2)
    return F.scaled_dot_product_attention(q, k, k, attn_mask=mask).transpose(1, 2).reshape(b, nq, d)


class InducedSetBlock(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.inducing = nn.Parameter(torch.randn(1, 8, dim))

    def forward(self, x, lengths):
        valid = torch.arange(x.size(1))[None, :] < lengths[:, None]
        ind = self.inducing.expand(x.size(0), -1, -1)
        h = ind + attend(ind, x, self.heads)  # expect: ML504
        return h, valid
