# Code-search query encoder; tokenizer pad id comes from the vocabulary file.
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


class Vocab:
    def __init__(self, path=None):
        self.itos = ["<pad>", "<unk>", "<s>", "</s>"]
        if path:
            with open(path) as f:
                self.itos += json.load(f)
        self.stoi = {t: i for i, t in enumerate(self.itos)}
        self.pad_id = self.stoi["<pad>"]

    def encode(self, toks, max_len):
        ids = [2] + [self.stoi.get(t, 1) for t in toks][: max_len - 2] + [3]
        return ids + [self.pad_id] * (max_len - len(ids))


class QueryEncoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, ids, pad_id):
        B, L, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=ids[:, None, None, :] != pad_id)
        x = x + self.proj(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.norm2(x))


class QueryEncoder(nn.Module):
    def __init__(self, vocab: Vocab, dim=256, heads=8, depth=3):
        super().__init__()
        self.pad_id = vocab.pad_id
        self.emb = nn.Embedding(len(vocab.itos), dim, padding_idx=vocab.pad_id)
        self.pos = nn.Parameter(torch.zeros(1, 64, dim))
        self.layers = nn.ModuleList(QueryEncoderLayer(dim, heads) for _ in range(depth))

    def forward(self, ids):
        x = self.emb(ids) + self.pos[:, : ids.size(1)]
        for layer in self.layers:
            x = layer(x, ids, self.pad_id)
        keep = (ids != self.pad_id).unsqueeze(-1).to(x.dtype)
        return F.normalize((x * keep).sum(1) / keep.sum(1), dim=-1)


if __name__ == "__main__":
    v = Vocab()
    ids = torch.tensor([v.encode(["sort", "list"], 8), v.encode(["x"], 8)])
    print(QueryEncoder(v)(ids).shape)
