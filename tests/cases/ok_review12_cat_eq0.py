"""Correct: categorical features embedded; == 0 comparisons mean 'segment A' / 'first chunk',
not padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class QueryToContext(nn.Module):
    """Tokens of segment 0 (the question) attend only to segment-0 keys; seg == 0 is a KEEP set."""
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.seg_emb = nn.Embedding(2, d)
        self.h = h

    def forward(self, ids, segment):
        x = self.tok(ids) + self.seg_emb(segment)
        B, T, C = x.shape
        q = x.view(B, T, self.h, C // self.h).transpose(1, 2)
        question = segment == 0                       # (B, T) True on question tokens
        keep = question[:, None, None, :]             # attend to the question only
        return F.scaled_dot_product_attention(q, q, q, attn_mask=keep)


class ShopEncoder(nn.Module):
    """Store 0 is a real store; masks out keys from *other* stores than the query's (MHA)."""
    def __init__(self, n_stores=10, d=32, h=4):
        super().__init__()
        self.store_emb = nn.Embedding(n_stores, d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, feats, store):
        x = feats + self.store_emb(store)
        hq = store == 0   # rows from the flagship store: only they are used as keys (True = blocked below)
        out, _ = self.attn(x, x, x, key_padding_mask=~hq)
        return out


if __name__ == "__main__":
    ids = torch.randint(1, 100, (2, 6))
    seg = torch.tensor([[0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1]])
    print(QueryToContext()(ids, seg).shape)
    store = torch.tensor([[0, 1, 2, 0], [0, 0, 3, 4]])
    print(ShopEncoder()(torch.randn(2, 4, 32), store).shape)
