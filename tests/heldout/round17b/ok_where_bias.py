"""Cross-encoder reranker: scores (query, passage) pairs with a bidirectional T5-style bias."""
import torch
import torch.nn.functional as F
from torch import nn


class RelativeBias(nn.Module):
    def __init__(self, heads, max_distance=16):
        super().__init__()
        self.max_distance = max_distance
        self.table = nn.Embedding(2 * max_distance + 1, heads)

    def forward(self, n, device):
        pos = torch.arange(n, device=device)
        rel = (pos[None, :] - pos[:, None]).clamp(-self.max_distance, self.max_distance)
        return self.table(rel + self.max_distance).permute(2, 0, 1)


class PairReranker(nn.Module):
    def __init__(self, vocab=30000, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.seg = nn.Embedding(2, dim)
        self.bias = RelativeBias(heads)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.o = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.score = nn.Linear(dim, 1)

    def forward(self, ids, segment, keep):
        b, n = ids.shape
        x = self.emb(ids) + self.seg(segment)
        rel = self.bias(n, ids.device)
        attn_bias = torch.where(keep[:, None, None, :], rel[None], float("-inf"))
        for qkv, o, ln in zip(self.qkv, self.o, self.ln):
            q, k, v = qkv(ln(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            x = x + o(F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias).transpose(1, 2).reshape(b, n, -1))
        return self.score(x[:, 0]).squeeze(-1)


def encode_pair(query, passage, n=24):
    ids = [101] + query + [102] + passage + [102]
    seg = [0] * (len(query) + 2) + [1] * (len(passage) + 1)
    ids, seg = ids[:n], seg[:n]
    keep = [True] * len(ids) + [False] * (n - len(ids))
    return (torch.tensor(ids + [0] * (n - len(ids))), torch.tensor(seg + [0] * (n - len(seg))),
            torch.tensor(keep))


if __name__ == "__main__":
    torch.manual_seed(0)
    pairs = [encode_pair([2001, 2002], [3001, 3002, 3003]), encode_pair([2005], [4001] * 12)]
    ids, seg, keep = (torch.stack(t) for t in zip(*pairs))
    print(PairReranker()(ids, seg, keep))
