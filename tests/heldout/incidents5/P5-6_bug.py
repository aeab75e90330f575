"""BERT-based NLI classifier with a Lightning-style module (tokenization done in collate_fn)."""
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


class TinyBert(nn.Module):
    """Stand-in encoder with the HF calling convention: attention_mask 1 = token, 0 = pad."""

    def __init__(self, vocab=300, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids)
        return h + self.attn(h, h, h, key_padding_mask=attention_mask == 0, need_weights=False)[0]


class NLIClassifier(LightningModule):
    def __init__(self, pad_id=0, cls_id=101, sep_id=102, lr=2e-5):
        super().__init__()
        self.save_hyperparameters(pad_id=pad_id, cls_id=cls_id, sep_id=sep_id, lr=lr)
        self.bert = TinyBert()
        self.head = nn.Linear(32, 3)

    def forward(self, input_ids, attention_mask):
        return self.head(self.bert(input_ids, attention_mask)[:, 0])

    def collate_fn(self, pairs):
        hp = self.hparams
        seqs = [[hp.cls_id] + a + [hp.sep_id] + b + [hp.sep_id] for a, b, _ in pairs]
        max_len = max(len(s) for s in seqs)
        input_ids = torch.full((len(seqs), max_len), hp.pad_id, dtype=torch.long)
        attention_mask = torch.ones(len(seqs), max_len, dtype=torch.long)  # BUG
        for i, s in enumerate(seqs):
            input_ids[i, : len(s)] = torch.tensor(s)
        return {"input_ids": input_ids, "attention_mask": attention_mask,  # BUG
                "labels": torch.tensor([y for _, _, y in pairs])}

    def training_step(self, batch, batch_idx):
        loss = F.cross_entropy(self(batch["input_ids"], batch["attention_mask"]), batch["labels"])
        self.log("train_loss", loss)
        return loss

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        return self(batch["input_ids"], batch["attention_mask"]).argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = NLIClassifier().eval()
    pairs = [([5, 6, 7], [8, 9], 0), ([10, 11], [12], 2)]
    with torch.no_grad():
        full = m(**{k: v for k, v in m.collate_fn(pairs).items() if k != "labels"})
        solo = m(**{k: v for k, v in m.collate_fn(pairs[1:]).items() if k != "labels"})
    print("padding ignored:", torch.allclose(full[1], solo[0], atol=1e-5))
