"""Sentence classifier trained with a Lightning-style module; tokenizer output is HF-style."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.hparams = SimpleNamespace()

    def save_hyperparameters(self, **kw):
        self.hparams.__dict__.update(kw)

    def log(self, *a, **k):
        pass


class SentenceClassifier(LightningModule):
    def __init__(self, vocab_size=500, d_model=32, nhead=4, num_layers=2, num_labels=3, pad_id=0):
        super().__init__()
        self.save_hyperparameters(vocab_size=vocab_size, d_model=d_model, nhead=nhead,
                                  num_layers=num_layers, num_labels=num_labels, pad_id=pad_id)
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.cls = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        h = self.encoder(self.embed(input_ids), src_key_padding_mask=attention_mask == 0)
        w = attention_mask.unsqueeze(-1).to(h.dtype)
        return self.cls((h * w).sum(1) / w.sum(1))

    def collate_fn(self, examples):
        L = max(len(e["input_ids"]) for e in examples)
        ids, am = [], []
        for e in examples:
            n = len(e["input_ids"])
            ids.append(e["input_ids"] + [self.hparams.pad_id] * (L - n))
            am.append([1] * n + [0] * (L - n))
        return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(am),
                "labels": torch.tensor([e["label"] for e in examples])}

    def training_step(self, batch, batch_idx):
        logits = self(batch["input_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits, batch["labels"])
        self.log("train/loss", loss)
        return loss

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        logits = self(batch["input_ids"], batch["attention_mask"])
        self.log("val/acc", (logits.argmax(-1) == batch["labels"]).float().mean())
        return logits


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SentenceClassifier()
    batch = m.collate_fn([{"input_ids": [4, 5, 6, 7], "label": 0}, {"input_ids": [8, 9], "label": 2}])
    m.train()
    train_logits = m(batch["input_ids"], batch["attention_mask"])
    m.eval()
    eval_logits = m.validation_step(batch, 0)
    print("train/eval agree:", torch.allclose(train_logits, eval_logits, atol=1e-4))
