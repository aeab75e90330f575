# EXPECT: bug per-sample padding mask shaped (B, L, S) passed to SDPA without a head dimension; it broadcasts against (B, H, L, S) from the right, so with B == H == 2 head h silently uses sample h's mask
"""Cross-encoder reranker (query/passage pairs, BERT-like, 2 heads) with a
custom SDPA attention. Pairs are padded to the longest pair in the batch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, CLS, SEP = 0, 1, 2


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(hidden, 3 * hidden)
        self.out_proj = nn.Linear(hidden, hidden)
        self.p = p

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        return self.out_proj(out.transpose(1, 2).reshape(B, T, C))


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.attn = SelfAttention(hidden, heads, p)
        self.ln1 = nn.LayerNorm(hidden)
        self.ff = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.GELU(), nn.Linear(2 * hidden, hidden))
        self.ln2 = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        x = self.ln1(x + self.drop(self.attn(x, mask)))
        return self.ln2(x + self.drop(self.ff(x)))


class CrossEncoder(nn.Module):
    def __init__(self, vocab=60, hidden=32, heads=2, layers=2, max_len=32, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, hidden, padding_idx=PAD)
        self.seg = nn.Embedding(2, hidden)
        self.pos = nn.Embedding(max_len, hidden)
        self.layers = nn.ModuleList([EncoderLayer(hidden, heads, p) for _ in range(layers)])
        self.score = nn.Linear(hidden, 1)
        self.drop = nn.Dropout(p)

    def forward(self, input_ids, token_type_ids, attention_mask):
        T = input_ids.size(1)
        x = self.drop(self.tok(input_ids) + self.seg(token_type_ids) + self.pos(torch.arange(T))[None])
        # (B, T, T): query i may attend key j if j is a real token
        mask = attention_mask.bool()[:, None, :].expand(-1, T, -1)
        for layer in self.layers:
            x = layer(x, mask)
        return self.score(x[:, 0]).squeeze(-1)


def encode_pairs(pairs, vocab=60):
    T = max(q + p + 3 for q, p in pairs)
    ids = torch.full((len(pairs), T), PAD, dtype=torch.long)
    types = torch.zeros(len(pairs), T, dtype=torch.long)
    mask = torch.zeros(len(pairs), T, dtype=torch.long)
    for i, (lq, lp) in enumerate(pairs):
        seq = [CLS] + torch.randint(3, vocab, (lq,)).tolist() + [SEP] + torch.randint(3, vocab, (lp,)).tolist() + [SEP]
        ids[i, :len(seq)] = torch.tensor(seq)
        types[i, lq + 2:len(seq)] = 1
        mask[i, :len(seq)] = 1
    return ids, types, mask


def run():
    torch.manual_seed(0)
    model = CrossEncoder()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
    ids, types, mask = encode_pairs([(3, 9), (2, 4)])
    relevance = torch.tensor([1.0, 0.0])

    model.train()
    scores = model(ids, types, mask)
    loss = F.binary_cross_entropy_with_logits(scores, relevance)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        e_ids, e_types, e_mask = encode_pairs([(4, 3), (2, 10)])
        eval_scores = model(e_ids, e_types, e_mask)
    return [loss.detach(), *grads, eval_scores]
