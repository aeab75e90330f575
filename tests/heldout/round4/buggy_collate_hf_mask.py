"""Intent classification: HF tokenizer output collated by hand, PyTorch encoder."""
from typing import Dict, List

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

PAD_ID = 0


class IntentDataset(Dataset):
    def __init__(self, encodings: List[List[int]], labels: List[int]):
        self.encodings, self.labels = encodings, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.encodings[i], "label": self.labels[i]}


def collate(batch: List[Dict]) -> Dict[str, torch.Tensor]:
    max_len = max(len(b["input_ids"]) for b in batch)
    ids = torch.full((len(batch), max_len), PAD_ID, dtype=torch.long)
    for i, b in enumerate(batch):
        ids[i, : len(b["input_ids"])] = torch.tensor(b["input_ids"])
    return {
        "input_ids": ids,
        "attention_mask": (ids != PAD_ID).long(),
        "labels": torch.tensor([b["label"] for b in batch]),
    }


class IntentClassifier(nn.Module):
    def __init__(self, vocab_size, n_intents, d_model=256, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.pos = nn.Parameter(torch.randn(1, 128, d_model) * 0.02)
        enc = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.cls = nn.Linear(d_model, n_intents)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos[:, : input_ids.size(1)]
        x = self.encoder(x, src_key_padding_mask=attention_mask)
        return self.cls(x[:, 0])


def train(model, dataset, epochs=3, lr=3e-4):
    loader = DataLoader(dataset, batch_size=32, shuffle=True, collate_fn=collate)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(epochs):
        for batch in loader:
            logits = model(
                batch["input_ids"],
                batch["attention_mask"],  # expect: ML101, ML203
            )
            loss = loss_fn(logits, batch["labels"])
            opt.zero_grad()
            loss.backward()
            opt.step()
