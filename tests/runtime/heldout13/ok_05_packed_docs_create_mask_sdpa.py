# EXPECT: ok
"""Packed-sequence pretraining with a document-causal mask_mod (same document
AND q_idx >= kv_idx), materialised with flex's create_mask and given to SDPA,
whose polarity (True = attend) matches mask_mod's."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_mask


def make_doc_causal(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same_doc = doc_ids[b, q_idx] == doc_ids[b, kv_idx]
        return same_doc & (q_idx >= kv_idx)
    return mask_mod


class Block(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.p = h, p
        self.ln = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                           dropout_p=self.p if self.training else 0.0)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.ff(x)


class PackedLM(nn.Module):
    def __init__(self, vocab=90, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, h, p) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, doc_ids):
        B, T = ids.shape
        mask = create_mask(make_doc_causal(doc_ids), B, None, T, T, device="cpu")
        x = self.emb(ids)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(x)


def run():
    torch.manual_seed(105)
    doc_ids = torch.tensor([[0] * 5 + [1] * 3 + [2] * 7,
                            [0] * 2 + [1] * 9 + [2] * 4,
                            [0] * 15])
    ids = torch.randint(1, 90, (3, 15))
    model = PackedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1], doc_ids[:, :-1])
    labels = ids[:, 1:].masked_fill(doc_ids[:, 1:] != doc_ids[:, :-1], -100)
    loss = F.cross_entropy(logits.reshape(-1, 90), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1], doc_ids[:, :-1])
    return [loss.detach(), g, ev]
