# EXPECT: bug question tokens cross-attend to padded region features with masked_fill(finfo.min); an image with zero detected regions (only in the second eval batch) leaves every key masked, so its queries silently get uniform attention over padding instead of no visual context.
"""Imitates bottom-up-attention VQA models (e.g. MCAN / LXMERT-style guided
attention over Faster R-CNN region features) whose collate pads a variable number
of detected boxes per image; some images have no detections above threshold."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GuidedAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.merge = nn.Linear(d, d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, regions, region_mask):
        B, Lq, D = x.shape
        R = regions.size(1)
        q = self.q(x).view(B, Lq, self.h, self.dk).transpose(1, 2)
        k = self.k(regions).view(B, R, self.h, self.dk).transpose(1, 2)
        v = self.v(regions).view(B, R, self.h, self.dk).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.dk)
        scores = scores.masked_fill(~region_mask[:, None, None, :], torch.finfo(scores.dtype).min)  # BUG-SITE
        att = self.dropout(F.softmax(scores, dim=-1))
        out = torch.matmul(att, v).transpose(1, 2).reshape(B, Lq, D)
        return self.merge(out)


class VQAModel(nn.Module):
    def __init__(self, vocab=30, d=32, heads=4, feat_dim=20, num_answers=8, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=0)
        self.box_proj = nn.Linear(feat_dim + 4, d)
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.guided = GuidedAttention(d, heads, dropout)
        self.ln2 = nn.LayerNorm(d)
        self.head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d, num_answers))

    def forward(self, q_ids, region_feats, boxes, region_mask):
        q_pad = q_ids == 0
        x = self.embed(q_ids)
        a, _ = self.self_attn(x, x, x, key_padding_mask=q_pad)
        x = self.ln1(x + a)
        regions = self.box_proj(torch.cat([region_feats, boxes], dim=-1))
        x = self.ln2(x + self.guided(x, regions, region_mask))
        keep = (~q_pad).unsqueeze(-1).to(x.dtype)
        return self.head((x * keep).sum(1) / keep.sum(1))


def collate(g, q_lens, n_regions, feat_dim=20, max_regions=6):
    B = len(q_lens)
    q_ids = torch.zeros(B, max(q_lens), dtype=torch.long)
    feats = torch.zeros(B, max_regions, feat_dim)
    boxes = torch.zeros(B, max_regions, 4)
    region_mask = torch.zeros(B, max_regions, dtype=torch.bool)
    for i, (ql, nr) in enumerate(zip(q_lens, n_regions)):
        q_ids[i, :ql] = torch.randint(1, 30, (ql,), generator=g)
        feats[i, :nr] = torch.randn(nr, feat_dim, generator=g).relu()
        boxes[i, :nr] = torch.rand(nr, 4, generator=g)
        region_mask[i, :nr] = True
    return q_ids, feats, boxes, region_mask


def run():
    torch.manual_seed(0)
    model = VQAModel()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(17)
    batch = collate(g, [5, 7, 4, 6], [6, 3, 4, 2])
    answers = torch.tensor([1, 5, 0, 7])

    model.train()
    loss = F.cross_entropy(model(*batch), answers)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        eval_a = model(*collate(g, [6, 3, 5], [5, 6, 1])).softmax(-1)
        eval_b = model(*collate(g, [4, 7, 5], [3, 0, 4])).softmax(-1)  # second image: no detections
    return [loss.detach(), *grads, eval_a, eval_b]
