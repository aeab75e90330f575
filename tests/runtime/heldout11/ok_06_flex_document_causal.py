# EXPECT: ok
"""Packed-sequence LM scoring with FlexAttention: several documents share a row, attention is
causal and stays within a document. The flex backbone is frozen (CPU flex has no backward);
a small adapter on top is trained."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def document_causal(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same_doc = doc_ids[b, q_idx] == doc_ids[b, kv_idx]
        return same_doc & (q_idx >= kv_idx)
    return mask_mod


class PackedBlock(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim), nn.Dropout(p))

    def forward(self, x, block_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        x = x + self.o(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class PackedLM(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, depth=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(64, dim)
        self.blocks = nn.ModuleList([PackedBlock(dim, heads, p) for _ in range(depth)])
        self.ln_f = nn.LayerNorm(dim)

    def forward(self, ids, doc_ids, pos_ids):
        B, L = ids.shape
        bm = create_block_mask(document_causal(doc_ids), B, None, L, L, device="cpu")
        x = self.emb(ids) + self.pos(pos_ids)
        for blk in self.blocks:
            x = blk(x, bm)
        return self.ln_f(x)


class AdapterHead(nn.Module):
    def __init__(self, backbone, dim=32, vocab=64, p=0.1):
        super().__init__()
        self.backbone = backbone.requires_grad_(False)
        self.adapter = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(p))
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, ids, doc_ids, pos_ids):
        h = self.backbone(ids, doc_ids, pos_ids)
        return self.lm_head(h + self.adapter(h))


def pack(doc_lengths, L):
    doc_ids = torch.zeros(len(doc_lengths), L, dtype=torch.long)
    pos_ids = torch.zeros(len(doc_lengths), L, dtype=torch.long)
    for b, lens in enumerate(doc_lengths):
        start = 0
        for d, n in enumerate(lens):
            doc_ids[b, start:start + n] = d
            pos_ids[b, start:start + n] = torch.arange(n)
            start += n
    return doc_ids, pos_ids


def run():
    torch.manual_seed(0)
    model = AdapterHead(PackedLM())
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    doc_ids, pos_ids = pack([[5, 7, 4], [16], [3, 3, 10]], 16)
    ids = torch.randint(0, 64, (3, 17))
    model.train()
    logits = model(ids[:, :-1], doc_ids, pos_ids)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 64), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1], doc_ids, pos_ids)
    return [loss.detach(), ev]
