# EXPECT: ok packed pretraining sequences use a document mask_mod (causal AND same document) in the FlexAttention convention (True = attend); training materialises it with create_mask for SDPA and eval uses flex_attention with a BlockMask built from the same mask_mod.
"""Packed-sequence decoder pretraining with document masking in the style of pytorch-labs/attention-gym (generate_doc_mask_mod) and torchtitan."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention


def generate_doc_mask_mod(document_id):
    def doc_causal(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (document_id[b, q_idx] == document_id[b, kv_idx])
    return doc_causal


class Attention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.wqkv = nn.Linear(d, 3 * d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.p = p

    def forward(self, x, mask_mod):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        if self.training:
            dense = create_mask(mask_mod, B, 1, T, T, device=x.device)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=dense, dropout_p=self.p)
        else:
            block_mask = create_block_mask(mask_mod, B, None, T, T, device=x.device)
            y = flex_attention(q, k, v, block_mask=block_mask)
        return self.wo(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.n1 = nn.RMSNorm(d)
        self.attn = Attention(d, h, p)
        self.n2 = nn.RMSNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 64, bias=False), nn.SiLU(), nn.Linear(64, d, bias=False))
        self.drop = nn.Dropout(p)

    def forward(self, x, mask_mod):
        x = x + self.drop(self.attn(self.n1(x), mask_mod))
        return x + self.drop(self.ff(self.n2(x)))


class PackedLM(nn.Module):
    def __init__(self, vocab=50, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.blocks = nn.ModuleList([Block(d, h, p) for _ in range(n)])
        self.norm = nn.RMSNorm(d)
        self.out = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, doc_ids, pos_ids):
        x = self.tok(ids) + self.pos(pos_ids)
        mask_mod = generate_doc_mask_mod(doc_ids)
        for b in self.blocks:
            x = b(x, mask_mod)
        return self.out(self.norm(x))


def pack(doc_lengths_per_row, vocab=50):
    rows, docs, poss = [], [], []
    for lengths in doc_lengths_per_row:
        ids, doc, pos = [], [], []
        for d, n in enumerate(lengths):
            ids += torch.randint(1, vocab, (n,)).tolist()
            doc += [d] * n
            pos += list(range(n))
        rows.append(ids)
        docs.append(doc)
        poss.append(pos)
    return torch.tensor(rows), torch.tensor(docs), torch.tensor(poss)


def run():
    torch.manual_seed(0)
    model = PackedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids, doc, pos = pack([[5, 4, 3], [8, 4], [2, 6, 4]])
    model.train()
    logits = model(ids[:, :-1], doc[:, :-1], pos[:, :-1])
    labels = ids[:, 1:].masked_fill(doc[:, 1:] != doc[:, :-1], -100)
    loss = F.cross_entropy(logits.reshape(-1, 50), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, doc2, pos2 = pack([[3, 3, 6], [7, 5]])
        logits2 = model(ids2, doc2, pos2)
    return [loss.detach(), *grads, logits2]
