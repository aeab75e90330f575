"""Utterance-level emotion classifier over frame features (e.g. log-mel or
frozen SSL features): transformer encoder + attentive pooling."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class EmotionConfig:
    feat_dim: int = 768
    d_model: int = 256
    n_heads: int = 4
    n_layers: int = 4
    n_classes: int = 7
    dropout: float = 0.1


class AttentivePooling(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, d_model) * 0.02)
        self.mha = nn.MultiheadAttention(d_model, n_heads, batch_first=True)

    def forward(self, x, key_padding_mask):
        q = self.query.expand(x.size(0), -1, -1)
        pooled, _ = self.mha(q, x, x, key_padding_mask=key_padding_mask)
        return pooled.squeeze(1)


class EmotionClassifier(nn.Module):
    def __init__(self, cfg: EmotionConfig):
        super().__init__()
        self.proj = nn.Linear(cfg.feat_dim, cfg.d_model)
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.n_heads, 4 * cfg.d_model, cfg.dropout, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers)
        self.pool = AttentivePooling(cfg.d_model, cfg.n_heads)
        self.head = nn.Linear(cfg.d_model, cfg.n_classes)

    def forward(self, feats, lengths):
        # feats: (B, T, feat_dim); lengths: (B,) number of valid frames
        T = feats.size(1)
        pad = torch.arange(T, device=feats.device)[None, :] >= lengths[:, None]
        pad_f = pad.float()
        x = self.proj(feats)
        x = self.encoder(
            x,
            src_key_padding_mask=pad_f,  # expect: ML201
        )
        pooled = self.pool(
            x,
            pad_f,  # expect: ML201
        )
        return self.head(pooled)


def train_epoch(model, loader, optimizer, device="cuda"):
    model.train()
    crit = nn.CrossEntropyLoss()
    total = 0.0
    for feats, lengths, labels in loader:
        feats, lengths, labels = feats.to(device), lengths.to(device), labels.to(device)
        loss = crit(model(feats, lengths), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        total += loss.item()
    return total / max(1, len(loader))
