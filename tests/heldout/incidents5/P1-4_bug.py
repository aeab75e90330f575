"""Text classifier with label attention, trained with a Lightning-style loop."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):
    """Minimal stand-in for the trainer integration."""

    def __init__(self):
        super().__init__()
        self.hparams = SimpleNamespace()

    def save_hyperparameters(self, **kwargs):
        self.hparams.__dict__.update(kwargs)

    def log(self, name, value, **kwargs):
        pass


class LabelAttention(nn.Module):
    def __init__(self, dim, num_classes, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.label_queries = nn.Parameter(torch.randn(num_classes, dim) * 0.02)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)

    def forward(self, token_states, attention_mask):
        b, s, d = token_states.shape
        hd = d // self.n_heads
        q = self.label_queries.expand(b, -1, -1).view(b, -1, self.n_heads, hd).transpose(1, 2)
        k = self.k(token_states).view(b, s, self.n_heads, hd).transpose(1, 2)
        v = self.v(token_states).view(b, s, self.n_heads, hd).transpose(1, 2)
        mask = (attention_mask == 0)[:, None, None, :]  # BUG
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG
        return out.transpose(1, 2).reshape(b, -1, d)


class TextClassifier(LightningModule):
    def __init__(self, vocab_size=1000, dim=64, num_classes=5, n_heads=4, lr=1e-3, pad_id=0):
        super().__init__()
        self.save_hyperparameters(vocab_size=vocab_size, dim=dim, num_classes=num_classes,
                                  n_heads=n_heads, lr=lr, pad_id=pad_id)
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=pad_id)
        self.label_attn = LabelAttention(dim, num_classes, n_heads)
        self.head = nn.Linear(dim, 1)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        per_label = self.label_attn(h, attention_mask)
        return self.head(per_label).squeeze(-1)

    def collate_fn(self, samples):
        max_len = max(len(s["ids"]) for s in samples)
        ids = torch.full((len(samples), max_len), self.hparams.pad_id, dtype=torch.long)
        for i, s in enumerate(samples):
            ids[i, : len(s["ids"])] = torch.tensor(s["ids"])
        return {"input_ids": ids, "attention_mask": (ids != self.hparams.pad_id).long(),
                "labels": torch.tensor([s["label"] for s in samples])}

    def training_step(self, batch, batch_idx):
        logits = self(batch["input_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits, batch["labels"])
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        logits = self(batch["input_ids"], batch["attention_mask"])
        acc = (logits.argmax(-1) == batch["labels"]).float().mean()
        self.log("val_acc", acc)
        return acc

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextClassifier()
    batch = model.collate_fn([{"ids": [5, 6, 7], "label": 1}, {"ids": [8, 9, 10, 11, 12], "label": 3}])
    print(model.training_step(batch, 0).item())
    short = model.collate_fn([{"ids": [5, 6, 7], "label": 1}])
    with torch.no_grad():
        print("pad invariant:", torch.allclose(model(batch["input_ids"][:1], batch["attention_mask"][:1]),
                                               model(short["input_ids"], short["attention_mask"]), atol=1e-5))
