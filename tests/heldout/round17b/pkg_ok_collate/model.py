"""Encoder classifier that accepts tokenizer-style keyword batches."""
import torch
from torch import nn


class ReviewTriage(nn.Module):
    def __init__(self, vocab=8000, dim=64, heads=4, layers=2, n_queues=5):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(64, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.cls = nn.Linear(dim, n_queues)

    def forward(self, input_ids, attention_mask, labels=None):
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        h = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        logits = self.cls(h[:, 0])
        if labels is None:
            return logits
        return logits, nn.functional.cross_entropy(logits, labels)


def param_groups(model, weight_decay=0.01):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim == 1 or "norm" in name else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
