"""Residue contact prediction from pairwise features (not attention)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ContactHead(nn.Module):
    def __init__(self, dim=64, min_separation=6):
        super().__init__()
        self.left = nn.Linear(dim, dim)
        self.right = nn.Linear(dim, dim)
        self.min_sep = min_separation

    def forward(self, residues, residue_mask):
        # residues (B, L, D); residue_mask (B, L) 1 for resolved residues
        logits = torch.einsum("bid,bjd->bij", self.left(residues), self.right(residues))
        logits = 0.5 * (logits + logits.transpose(1, 2))
        L = logits.size(-1)
        idx = torch.arange(L, device=logits.device)
        near_diag = (idx[:, None] - idx[None, :]).abs() < self.min_sep
        pair_mask = residue_mask[:, :, None].bool() & residue_mask[:, None, :].bool()
        return logits, pair_mask & ~near_diag


def contact_loss(logits, pair_mask, contacts):
    loss = F.binary_cross_entropy_with_logits(logits, contacts.float(), reduction="none")
    upper = torch.triu(torch.ones_like(pair_mask), diagonal=1)
    weight = (pair_mask & upper).float()
    return (loss * weight).sum() / weight.sum().clamp(min=1.0)


def top_l_precision(logits, pair_mask, contacts, frac=1.0):
    B, L, _ = logits.shape
    scores = logits.masked_fill(~pair_mask, float("-inf"))
    scores = scores.masked_fill(torch.tril(torch.ones(L, L, dtype=torch.bool, device=logits.device)), float("-inf"))
    k = max(1, int(L * frac))
    top = scores.view(B, -1).topk(k, dim=-1).indices
    hits = contacts.view(B, -1).gather(1, top).float()
    return hits.mean()
