# EXPECT: bug sequence packing builds a block-diagonal same-document mask (doc_ids[q] == doc_ids[k]) but never intersects it with the causal mask, so every token sees the future tokens of its own document under a next-token loss.
"""Imitates packed-sequence pretraining code (torchtune PackedDataset / Megatron
style document ids, 'intra-document attention') where the per-document mask is
materialised densely for F.scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pack(docs, seq_len, pad_id=0):
    """Greedy packing into rows of seq_len; returns tokens, document ids and labels."""
    rows, doc_rows, label_rows = [], [], []
    cur, cur_doc, cur_lab, doc_counter = [], [], [], 0
    for d in docs:
        if len(cur) + len(d) > seq_len:
            rows.append(cur), doc_rows.append(cur_doc), label_rows.append(cur_lab)
            cur, cur_doc, cur_lab = [], [], []
        doc_counter += 1
        cur += d
        cur_doc += [doc_counter] * len(d)
        cur_lab += d[1:] + [-100]  # no prediction across document boundaries
    rows.append(cur), doc_rows.append(cur_doc), label_rows.append(cur_lab)
    n = len(rows)
    tokens = torch.full((n, seq_len), pad_id, dtype=torch.long)
    doc_ids = torch.full((n, seq_len), -1, dtype=torch.long)
    labels = torch.full((n, seq_len), -100, dtype=torch.long)
    for i in range(n):
        L = len(rows[i])
        tokens[i, :L] = torch.tensor(rows[i])
        doc_ids[i, :L] = torch.tensor(doc_rows[i])
        doc_ids[i, L:] = 10_000 + i  # padding forms its own document
        labels[i, :L] = torch.tensor(label_rows[i])
    return tokens, doc_ids, labels


def document_mask(doc_ids):
    return (doc_ids[:, :, None] == doc_ids[:, None, :]).unsqueeze(1)  # [B, 1, T, T]


class Layer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.norm1 = nn.LayerNorm(d)
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, d, bias=False)
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.norm2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 3 * d), nn.SiLU(), nn.Linear(3 * d, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        B, T, D = x.shape
        h = self.norm1(x)
        q = self.wq(h).view(B, T, self.heads, -1).transpose(1, 2)
        k = self.wk(h).view(B, T, self.heads, -1).transpose(1, 2)
        v = self.wv(h).view(B, T, self.heads, -1).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)  # BUG-SITE
        x = x + self.drop(self.wo(a.transpose(1, 2).reshape(B, T, D)))
        return x + self.drop(self.ffn(self.norm2(x)))


class PackedLM(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, layers=2, max_len=16, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([Layer(d, heads, dropout) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, vocab)

    def forward(self, tokens, doc_ids):
        # position ids restart at each document boundary
        start = torch.ones_like(doc_ids, dtype=torch.bool)
        start[:, 1:] = doc_ids[:, 1:] != doc_ids[:, :-1]
        idx = torch.arange(tokens.size(1)).expand_as(tokens)
        last_start = torch.cummax(torch.where(start, idx, torch.zeros_like(idx)), dim=1).values
        pos = idx - last_start
        x = self.tok(tokens) + self.pos(pos)
        mask = document_mask(doc_ids)
        for layer in self.layers:
            x = layer(x, mask)
        return self.out(self.norm(x))


def random_docs(g, lengths, vocab=40):
    return [torch.randint(1, vocab, (n,), generator=g).tolist() for n in lengths]


def run():
    torch.manual_seed(0)
    model = PackedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    g = torch.Generator().manual_seed(37)
    tokens, doc_ids, labels = pack(random_docs(g, [5, 7, 3, 9, 4, 6, 2, 8]), seq_len=16)

    model.train()
    logits = model(tokens, doc_ids)
    loss = F.cross_entropy(logits.reshape(-1, 40), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        t2, d2, l2 = pack(random_docs(g, [6, 6, 3, 10, 5]), seq_len=16)
        logp = model(t2, d2).log_softmax(-1)
        token_logp = logp.gather(-1, l2.clamp(min=0).unsqueeze(-1)).squeeze(-1) * (l2 != -100)
    return [loss.detach(), *grads, token_logp]
