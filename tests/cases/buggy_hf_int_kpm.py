"""Sentiment classifier trained on tokenizer batches (input_ids / attention_mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size=1000, d_model=64, nhead=4, num_layers=2, num_labels=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(1, 512, d_model))
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=128, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids) + self.pos[:, : input_ids.size(1)]
        is_pad = 1 - attention_mask  # tokenizer gives 1 for real tokens
        h = self.encoder(x, src_key_padding_mask=is_pad)  # expect: ML203
        h = h.masked_fill(is_pad.unsqueeze(-1).bool(), 0.0)
        pooled = h.sum(1) / attention_mask.sum(1, keepdim=True)
        return self.classifier(pooled)


def train_epoch(model, loader, optimizer):
    model.train()
    for batch in loader:
        logits = model(batch["input_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits, batch["labels"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
