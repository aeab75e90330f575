"""Dialogue state tracking: per-slot value classification from the dialogue."""
import torch
from torch import nn


class SlotTracker(nn.Module):
    def __init__(self, vocab=2000, dim=64, heads=4, layers=2, slots=("area", "food", "price")):
        super().__init__()
        self.slots = list(slots)
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        enc_layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.slot_query = nn.Parameter(torch.randn(len(self.slots), dim) * 0.02)
        self.values = nn.ModuleDict({s: nn.Linear(dim, 12) for s in self.slots})

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.emb(input_ids) + self.pos(pos)
        h = self.encoder(x, src_key_padding_mask=attention_mask > 0)  # expect: ML101
        scores = torch.einsum("sd,bnd->bsn", self.slot_query, h)
        scores = scores.masked_fill(attention_mask[:, None, :] == 0, float("-inf"))
        pooled = torch.einsum("bsn,bnd->bsd", scores.softmax(-1), h)
        return {s: self.values[s](pooled[:, i]) for i, s in enumerate(self.slots)}
