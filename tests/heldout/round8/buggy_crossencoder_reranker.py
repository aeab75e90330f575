"""Cross-encoder passage reranker ([CLS] query [SEP] passage [SEP]) with
hand-written BERT attention (einsum) and token-type embeddings; scores are a
linear head on [CLS].  Pairs are packed by ``collate_pairs``."""
import math
from typing import List, Tuple

import torch
import torch.nn as nn

CLS, SEP, PAD = 101, 102, 0


def collate_pairs(pairs: List[Tuple[List[int], List[int]]]):
    seqs, types = [], []
    for q, p in pairs:
        seqs.append([CLS] + q + [SEP] + p + [SEP])
        types.append([0] * (len(q) + 2) + [1] * (len(p) + 1))
    L = max(map(len, seqs))
    ids = torch.full((len(seqs), L), PAD)
    tt = torch.zeros(len(seqs), L, dtype=torch.long)
    am = torch.zeros(len(seqs), L, dtype=torch.long)
    for i, (s, t) in enumerate(zip(seqs, types)):
        ids[i, : len(s)], tt[i, : len(t)], am[i, : len(s)] = torch.tensor(s), torch.tensor(t), 1
    return {"input_ids": ids, "token_type_ids": tt, "attention_mask": am}


class BertLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.dh = h, d // h
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.dense, self.ln1 = nn.Linear(d, d), nn.LayerNorm(d)
        self.ffn, self.ln2 = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d)), nn.LayerNorm(d)

    def forward(self, x, extended_mask):
        B, L, _ = x.shape
        q = self.query(x).view(B, L, self.h, self.dh)
        k = self.key(x).view(B, L, self.h, self.dh)
        v = self.value(x).view(B, L, self.h, self.dh)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(self.dh)
        probs = (scores + extended_mask).softmax(-1)
        ctx = torch.einsum("bhqk,bkhd->bqhd", probs, v).reshape(B, L, -1)
        x = self.ln1(x + self.dense(ctx))
        return self.ln2(x + self.ffn(x))


class BertEncoder(nn.Module):
    def __init__(self, d, h, n):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(d, h) for _ in range(n))

    def forward(self, x, extended_mask):
        for layer in self.layer:
            x = layer(x, extended_mask)
        return x


class CrossEncoder(nn.Module):
    def __init__(self, vocab=3000, d=64, h=4, n=2):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, d), nn.Embedding(512, d), nn.Embedding(2, d)
        self.emb_ln = nn.LayerNorm(d)
        self.encoder = BertEncoder(d, h, n)
        self.classifier = nn.Linear(d, 1)

    def get_extended_attention_mask(self, attention_mask, dtype):
        return attention_mask[:, None, None, :].to(dtype)

    def forward(self, input_ids, token_type_ids, attention_mask):
        L = input_ids.size(1)
        x = self.emb_ln(self.word(input_ids) + self.pos(torch.arange(L)) + self.token_type(token_type_ids))
        ext = self.get_extended_attention_mask(attention_mask, x.dtype)
        h = self.encoder(
            x,
            ext,  # expect: ML202
        )
        return self.classifier(h[:, 0]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossEncoder().eval()
    query = [2001, 2002, 2003]
    short, long_ = [300, 301, 302], list(range(400, 420))
    with torch.no_grad():
        alone = model(**collate_pairs([(query, short)]))
        batched = model(**collate_pairs([(query, short), (query, long_)]))
    d = (alone[0] - batched[0]).abs().item()
    print("score of (query, short passage) alone vs batched with a long passage:", alone[0].item(), batched[0].item())
    assert d > 1e-4
    print("FAILURE SHOWN: reranker score depends on how much padding the batch adds")
