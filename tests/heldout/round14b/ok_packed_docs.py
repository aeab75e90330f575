"""Sequence packing for pretraining: variable-length documents laid end to end in fixed rows."""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F


def pack_documents(docs: List[List[int]], row_len: int, pad_id: int = 0):
    """Greedy packing. Returns tokens (R, row_len) and per-position document ids (R, row_len);
    padding gets its own document id (-1) so it never shares a document with real text."""
    rows, doc_rows, cur, cur_doc, next_id = [], [], [], [], 0
    for d in docs:
        d = d[:row_len]
        if len(cur) + len(d) > row_len:
            rows.append(cur + [pad_id] * (row_len - len(cur)))
            doc_rows.append(cur_doc + [-1] * (row_len - len(cur_doc)))
            cur, cur_doc = [], []
        cur += d
        cur_doc += [next_id] * len(d)
        next_id += 1
    if cur:
        rows.append(cur + [pad_id] * (row_len - len(cur)))
        doc_rows.append(cur_doc + [-1] * (row_len - len(cur_doc)))
    return torch.tensor(rows), torch.tensor(doc_rows)


class Attention(nn.Module):
    def __init__(self, dim: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.wv = nn.Linear(dim, dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attn_mask):
        bs, seqlen, dim = x.shape
        xq, xk, xv = (w(x).view(bs, seqlen, self.n_heads, -1).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        out = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=attn_mask)
        return self.wo(out.transpose(1, 2).reshape(bs, seqlen, dim))


class TransformerBlock(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.attention_norm = nn.RMSNorm(dim)
        self.attention = Attention(dim, n_heads)
        self.ffn_norm = nn.RMSNorm(dim)
        self.feed_forward = nn.Sequential(nn.Linear(dim, 4 * dim), nn.SiLU(), nn.Linear(4 * dim, dim))

    def forward(self, x, attn_mask):
        h = x + self.attention(self.attention_norm(x), attn_mask)
        return h + self.feed_forward(self.ffn_norm(h))


class Transformer(nn.Module):
    def __init__(self, vocab_size=512, dim=64, n_layers=2, n_heads=4, max_seq_len=64):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.pos_embeddings = nn.Embedding(max_seq_len, dim)
        self.layers = nn.ModuleList(TransformerBlock(dim, n_heads) for _ in range(n_layers))
        self.norm = nn.RMSNorm(dim)
        self.output = nn.Linear(dim, vocab_size, bias=False)

    @staticmethod
    def document_causal_mask(doc_ids):
        seqlen = doc_ids.size(1)
        causal = torch.tril(torch.ones(seqlen, seqlen, dtype=torch.bool, device=doc_ids.device))
        same_doc = doc_ids[:, :, None] == doc_ids[:, None, :]
        return (causal[None] & same_doc).unsqueeze(1)           # (B, 1, L, L), True = attend

    def forward(self, tokens, doc_ids):
        pos = torch.arange(tokens.size(1), device=tokens.device)
        h = self.tok_embeddings(tokens) + self.pos_embeddings(pos)
        mask = self.document_causal_mask(doc_ids)
        for layer in self.layers:
            h = layer(h, mask)
        return self.output(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    docs = [torch.randint(1, 512, (n,)).tolist() for n in (7, 12, 5, 20, 9, 3)]
    tokens, doc_ids = pack_documents(docs, row_len=24)
    model = Transformer()
    logits = model(tokens[:, :-1], doc_ids[:, :-1])
    labels = tokens[:, 1:].masked_fill(doc_ids[:, 1:] != doc_ids[:, :-1], -100)
    loss = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
    print("rows", tokens.shape[0], "loss", round(loss.item(), 3))
