import torch
from torch import nn

from .encoder import Encoder


class IntentClassifier(nn.Module):
    def __init__(self, vocab_size: int, n_intents: int, d_model: int = 64, nhead: int = 4, num_layers: int = 2, dropout: float = 0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.randn(1, 64, d_model) * 0.02)
        self.encoder = Encoder(d_model, nhead, num_layers, dropout)
        self.classifier = nn.Linear(d_model, n_intents)

    def forward(self, input_ids, attention_mask, labels=None):
        h = self.embed(input_ids) + self.pos[:, : input_ids.size(1)]
        h = self.encoder(h, attention_mask == 0)
        w = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * w).sum(1) / w.sum(1).clamp(min=1.0)
        logits = self.classifier(pooled)
        if labels is None:
            return logits
        return logits, nn.functional.cross_entropy(logits, labels)
