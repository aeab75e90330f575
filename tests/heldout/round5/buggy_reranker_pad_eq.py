"""Cross-encoder reranker: query and passage are concatenated and scored with a tiny
bidirectional encoder that uses SDPA directly."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange

PAD_ID = 0
SEP_ID = 2


class EncoderLayer(nn.Module):
    def __init__(self, dim=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.out = nn.Linear(dim, dim)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, pad_positions):
        q, k, v = rearrange(self.qkv(self.n1(x)), "b n (three h d) -> three b h n d", three=3, h=self.heads)
        o = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=rearrange(pad_positions, "b s -> b 1 1 s"),  # expect: ML102
        )
        x = x + self.out(rearrange(o, "b h n d -> b n (h d)"))
        return x + self.mlp(self.n2(x))


class CrossEncoderReranker(nn.Module):
    def __init__(self, vocab=30522, dim=128, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        self.layers = nn.ModuleList(EncoderLayer(dim) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, pair_ids):
        pad_positions = pair_ids.eq(PAD_ID)
        x = self.emb(pair_ids)
        for layer in self.layers:
            x = layer(x, pad_positions)
        return self.score(x[:, 0]).squeeze(-1)


def join(query_ids, passage_ids, max_len=32):
    rows = [q + [SEP_ID] + p for q, p in zip(query_ids, passage_ids)]
    rows = [r[:max_len] + [PAD_ID] * (max_len - len(r[:max_len])) for r in rows]
    return torch.tensor(rows)


@torch.no_grad()
def rerank(model, query, passages):
    pair_ids = join([query] * len(passages), passages)
    scores = model(pair_ids)
    return scores.argsort(descending=True).tolist()
