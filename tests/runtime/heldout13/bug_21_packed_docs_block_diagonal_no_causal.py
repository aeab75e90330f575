# EXPECT: bug
"""Pretraining on packed sequences: several documents concatenated per row,
with a block-diagonal mask so documents don't see each other.  The mask is
only block-diagonal; inside a document every token still sees its future."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pack(docs, seq_len, eos):
    rows, ids_row, doc_row = [], [], []
    doc_rows, cur_ids, cur_doc, d = [], [], [], 0
    for doc in docs:
        toks = doc + [eos]
        if len(cur_ids) + len(toks) > seq_len:
            pad = seq_len - len(cur_ids)
            rows.append(cur_ids + [eos] * pad)
            doc_rows.append(cur_doc + [d] * pad)
            cur_ids, cur_doc = [], []
            d += 1
        cur_ids += toks
        cur_doc += [d] * len(toks)
        d += 1
    pad = seq_len - len(cur_ids)
    rows.append(cur_ids + [eos] * pad)
    doc_rows.append(cur_doc + [d] * pad)
    return torch.tensor(rows), torch.tensor(doc_rows)


def document_mask(doc_ids):
    return doc_ids[:, :, None] == doc_ids[:, None, :]


class Attention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.p = h, p
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.unsqueeze(1),  # BUG-SITE
                                           dropout_p=self.p if self.training else 0.0)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class PackedLM(nn.Module):
    def __init__(self, vocab=90, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.blocks = nn.ModuleList(Attention(d, h, p) for _ in range(n))
        self.lns = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, doc_ids):
        mask = document_mask(doc_ids)
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1)))
        for blk, ln in zip(self.blocks, self.lns):
            x = x + blk(ln(x), mask)
        return self.head(x)


def run():
    torch.manual_seed(21)
    g = torch.Generator().manual_seed(5)
    lens = [5, 3, 7, 2, 6, 4, 8, 3]
    docs = [torch.randint(1, 89, (n,), generator=g).tolist() for n in lens]
    ids, doc_ids = pack(docs, seq_len=16, eos=89)
    model = PackedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1], doc_ids[:, :-1])
    labels = ids[:, 1:].masked_fill(doc_ids[:, 1:] != doc_ids[:, :-1], -100)
    loss = F.cross_entropy(logits.reshape(-1, 90), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    gr = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1], doc_ids[:, :-1])
    return [loss.detach(), gr, ev]
