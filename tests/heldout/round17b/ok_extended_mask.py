"""Extractive question answering over FAQ pages (start/end span heads)."""
import torch
import torch.nn.functional as F
from torch import nn


class SpanReader(nn.Module):
    def __init__(self, vocab=30000, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.type_emb = nn.Embedding(2, dim)
        self.pos = nn.Embedding(384, dim)
        self.attn = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.qa = nn.Linear(dim, 2)

    def forward(self, input_ids, token_type_ids, attention_mask):
        b, n = input_ids.shape
        x = self.emb(input_ids) + self.type_emb(token_type_ids)
        x = x + self.pos(torch.arange(n, device=input_ids.device))
        ext = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for qkv, proj, ln in zip(self.attn, self.proj, self.ln):
            q, k, v = qkv(ln(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=ext)
            x = x + proj(y.transpose(1, 2).reshape(b, n, -1))
        start, end = self.qa(x).unbind(-1)
        blocked = attention_mask == 0
        return start.masked_fill(blocked, -1e4), end.masked_fill(blocked, -1e4)


def features(question, context, n=32):
    ids = [101] + question + [102] + context + [102]
    types = [0] * (len(question) + 2) + [1] * (len(context) + 1)
    ids, types = ids[:n], types[:n]
    am = [1] * len(ids) + [0] * (n - len(ids))
    pad = [0] * (n - len(ids))
    return torch.tensor(ids + pad), torch.tensor(types + pad), torch.tensor(am)


if __name__ == "__main__":
    torch.manual_seed(0)
    feats = [features([2054, 2003], [7, 8, 9, 10, 11, 12]), features([2129], list(range(100, 130)))]
    ids, types, am = (torch.stack(t) for t in zip(*feats))
    start, end = SpanReader()(ids, types, am)
    print(start.argmax(-1), end.argmax(-1))
