"""Masked-template pretraining for system logs (bidirectional, BERT-like).

Positions chosen by ``mask_templates`` are replaced by [MASK] and predicted
from both sides; no causal structure is wanted here.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, MASK = 0, 1


def mask_templates(ids, lengths, p=0.15, generator=None):
    steps = torch.arange(ids.size(1), device=ids.device)
    real = steps[None] < lengths[:, None]
    chosen = (torch.rand(ids.shape, generator=generator, device=ids.device) < p) & real
    labels = ids.masked_fill(~chosen, -100)
    return ids.masked_fill(chosen, MASK), labels


class LogBERT(nn.Module):
    def __init__(self, n_templates=400, dim=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(n_templates, dim, padding_idx=PAD)
        self.pos = nn.Embedding(512, dim)
        block = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.mlm = nn.Linear(dim, n_templates)

    def forward(self, ids, lengths):
        steps = torch.arange(ids.size(1), device=ids.device)
        beyond = steps[None, :] >= lengths[:, None]
        h = self.encoder(self.emb(ids) + self.pos(steps), src_key_padding_mask=beyond)
        return self.mlm(h)

    def loss(self, ids, lengths):
        inputs, labels = mask_templates(ids, lengths)
        logits = self(inputs, lengths)
        return F.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100)
