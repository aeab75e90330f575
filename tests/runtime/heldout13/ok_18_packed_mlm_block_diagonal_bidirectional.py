# EXPECT: ok
"""Masked-LM pretraining on packed sequences (an encoder, so bidirectional):
the block-diagonal mask keeps documents apart with no causal part, which is
right for MLM.  Built as ~same_doc for nn.MultiheadAttention and stacked with
repeat_interleave."""
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_ID = 1


class PackedEncoderLayer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.drop = nn.Dropout(p)

    def forward(self, x, other_doc):
        m = other_doc.repeat_interleave(self.h, dim=0)
        x = self.n1(x + self.drop(self.attn(x, x, x, attn_mask=m, need_weights=False)[0]))
        return self.n2(x + self.drop(self.ff(x)))


class PackedMLM(nn.Module):
    def __init__(self, vocab=100, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.layers = nn.ModuleList(PackedEncoderLayer(d, h, p) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, doc_ids, pos_ids):
        other_doc = doc_ids[:, :, None] != doc_ids[:, None, :]
        x = self.emb(ids) + self.pos(pos_ids)
        for layer in self.layers:
            x = layer(x, other_doc)
        return self.head(x)


def run():
    torch.manual_seed(118)
    doc_lens = [[4, 6, 2], [12], [3, 3, 6]]
    doc_ids = torch.tensor([sum(([d] * n for d, n in enumerate(row)), []) for row in doc_lens])
    pos_ids = torch.tensor([sum((list(range(n)) for n in row), []) for row in doc_lens])
    tokens = torch.randint(2, 100, (3, 12))
    corrupt = torch.rand(3, 12) < 0.25
    ids = tokens.masked_fill(corrupt, MASK_ID)
    labels = tokens.masked_fill(~corrupt, -100)
    model = PackedMLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(ids, doc_ids, pos_ids).reshape(-1, 100), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids, doc_ids, pos_ids)
    return [loss.detach(), g, ev]
