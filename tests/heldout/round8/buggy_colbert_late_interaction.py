"""ColBERT late-interaction retriever: a shared BERT-like encoder (SDPA
attention) produces per-token embeddings for queries ([Q] marker, padded with
[MASK] tokens) and documents ([D] marker, padded with [PAD]); relevance is the
sum over query tokens of the max cosine similarity over document tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, MASK, Q_MARK, D_MARK, CLS = 0, 1, 2, 3, 4


class EncoderLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, key_blocked):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=key_blocked[:, None, None, :],
        )
        x = self.ln1(x + self.o(a.transpose(1, 2).reshape(B, L, D)))
        return self.ln2(x + self.ff(x))


class ColBERT(nn.Module):
    def __init__(self, vocab=1200, d=64, h=4, n=2, dim_out=32, q_maxlen=12):
        super().__init__()
        self.q_maxlen = q_maxlen
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(256, d)
        self.layers = nn.ModuleList(EncoderLayer(d, h) for _ in range(n))
        self.linear = nn.Linear(d, dim_out, bias=False)

    def encode(self, ids, attention_mask):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        key_blocked = attention_mask == 0
        for layer in self.layers:
            x = layer(
                x,
                key_blocked,  # expect: ML102
            )
        return F.normalize(self.linear(x), dim=-1)

    def query(self, q_ids):
        ids = torch.full((q_ids.size(0), self.q_maxlen), MASK)
        ids[:, 0], ids[:, 1] = CLS, Q_MARK
        n = min(q_ids.size(1), self.q_maxlen - 2)
        ids[:, 2 : 2 + n] = q_ids[:, :n]
        # query augmentation: [MASK] tokens are attended to, like real tokens
        return self.encode(ids, torch.ones_like(ids))

    def doc(self, d_ids, d_mask):
        ids = torch.cat([torch.full((d_ids.size(0), 2), CLS), d_ids], 1)
        ids[:, 1] = D_MARK
        am = torch.cat([torch.ones(d_ids.size(0), 2, dtype=torch.long), d_mask], 1)
        return self.encode(ids, am), am

    def score(self, Q, D, d_am):
        sim = Q @ D.transpose(1, 2)  # (B, Lq, Ld)
        sim = sim.masked_fill(d_am[:, None, :] == 0, -1e4)  # MaxSim ignores doc padding
        return sim.max(-1).values.sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ColBERT().eval()
    q = torch.randint(5, 1200, (2, 6))
    d = torch.randint(5, 1200, (2, 20))
    dm = torch.ones(2, 20, dtype=torch.long)
    dm[1, 11:] = 0
    d = d * dm
    with torch.no_grad():
        s1 = model.score(model.query(q), *model.doc(d, dm))
        d2 = d.clone()
        d2[1, 11:] = 77  # garbage in the padded slots
        s2 = model.score(model.query(q), *model.doc(d2, dm))
    print("relevance scores:", s1.tolist(), "->", s2.tolist())
    assert (s1 - s2).abs().max() > 1e-3
    print("FAILURE SHOWN: document embeddings depend on padding tokens")
