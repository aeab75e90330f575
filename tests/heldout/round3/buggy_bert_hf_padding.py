"""Sentence classifier: a small BERT-like encoder trained from scratch on
tokenizer output (input_ids / attention_mask from a Hugging Face tokenizer)."""
import math

import torch
from torch import nn
from torch.utils.data import DataLoader
from transformers import AutoTokenizer


class TinyBert(nn.Module):
    def __init__(self, vocab_size, d_model=256, nhead=4, num_layers=4, num_labels=2, max_len=512):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.position = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(
            d_model, nhead, dim_feedforward=4 * d_model, activation="gelu",
            batch_first=True, norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.pooler = nn.Sequential(nn.Linear(d_model, d_model), nn.Tanh())
        self.classifier = nn.Linear(d_model, num_labels)
        self.scale = math.sqrt(d_model)

    def forward(self, batch):
        input_ids = batch["input_ids"]
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.embeddings(input_ids) * self.scale + self.position(positions)[None]
        h = self.encoder(
            h,
            src_key_padding_mask=batch["attention_mask"],  # expect: ML101, ML203
        )
        return self.classifier(self.pooler(h[:, 0]))


def collate(tokenizer):
    def _fn(examples):
        enc = tokenizer(
            [e["text"] for e in examples],
            padding=True, truncation=True, max_length=128, return_tensors="pt",
        )
        enc["labels"] = torch.tensor([e["label"] for e in examples])
        return enc
    return _fn


def train(dataset, epochs=3, lr=3e-4, device="cuda"):
    tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
    model = TinyBert(tokenizer.vocab_size).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    loader = DataLoader(dataset, batch_size=32, shuffle=True, collate_fn=collate(tokenizer))
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        for batch in loader:
            batch = {k: v.to(device) for k, v in batch.items()}
            logits = model(batch)
            loss = loss_fn(logits, batch["labels"])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    return model
