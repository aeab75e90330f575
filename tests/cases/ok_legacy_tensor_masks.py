"""Correct twins: NumPy pipelines that build masks with the legacy constructors (torch.BoolTensor(seq != 0)) and
embed ids wrapped the same way (self.item_emb(torch.LongTensor(seq))): the masks keep their
meaning through the constructor."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SessionEncoder(nn.Module):
    def __init__(self, items=50, d=16):
        super().__init__()
        self.item_emb = nn.Embedding(items, d, padding_idx=0)
        self.attn = nn.MultiheadAttention(d, 2, batch_first=True)

    def forward(self, sessions: np.ndarray):
        x = self.item_emb(torch.LongTensor(sessions))
        clicked = torch.BoolTensor(sessions != 0)
        return self.attn(x, x, x, key_padding_mask=~clicked)[0]


class Reranker(nn.Module):
    def __init__(self, vocab=100, d=16):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=0)

    def forward(self, ids):
        h = self.tok(torch.as_tensor(ids))[:, None]
        pad = torch.BoolTensor(ids == 0)
        return F.scaled_dot_product_attention(h, h, h, attn_mask=~pad[:, None, None, :])
