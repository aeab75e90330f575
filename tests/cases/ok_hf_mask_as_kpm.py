"""Hugging Face attention_mask (1 = real token) correctly turned into torch padding masks."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderClassifier(nn.Module):
    def __init__(self, vocab_size, num_labels, d_model=256, nhead=4, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.classifier = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        x = self.encoder(x, src_key_padding_mask=~attention_mask.bool())
        keep = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.classifier(pooled)


class AttentionPoolingHead(nn.Module):
    def __init__(self, d_model, num_labels, nhead=4):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, d_model))
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.out = nn.Linear(d_model, num_labels)

    def forward(self, hidden_states, attention_mask):
        q = self.query.expand(hidden_states.size(0), -1, -1)
        pad = attention_mask == 0
        pooled, _ = self.attn(q, hidden_states, hidden_states, key_padding_mask=pad)
        return self.out(pooled.squeeze(1))


class Trainer:
    def __init__(self, vocab_size, num_labels, d_model=256):
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, 8, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=4)
        self.head = nn.Linear(d_model, num_labels)

    def step(self, batch):
        padding = batch["attention_mask"].eq(0)
        h = self.encoder(self.embed(batch["input_ids"]), src_key_padding_mask=padding)
        logits = self.head(h[:, 0])
        return F.cross_entropy(logits, batch["labels"])

    def predict(self, inputs):
        pad = inputs.attention_mask.logical_not()
        h = self.encoder(self.embed(inputs.input_ids), src_key_padding_mask=pad)
        return self.head(h[:, 0]).argmax(-1)
