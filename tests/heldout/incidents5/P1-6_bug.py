"""Utterance encoder trained with a small trainer wrapper; lengths come from the collate."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.hparams = SimpleNamespace()

    def save_hyperparameters(self, **kwargs):
        self.hparams.__dict__.update(kwargs)

    def log(self, *args, **kwargs):
        pass


def seq_len_to_mask(seq_len, max_len=None):
    max_len = int(max_len or seq_len.max())
    broad = torch.arange(max_len, device=seq_len.device).expand(seq_len.size(0), -1)
    return broad.lt(seq_len.unsqueeze(1))


class UtteranceEncoder(LightningModule):
    def __init__(self, feat_dim=40, d_model=64, nhead=4, n_classes=10, lr=3e-4):
        super().__init__()
        self.save_hyperparameters(feat_dim=feat_dim, d_model=d_model, nhead=nhead,
                                  n_classes=n_classes, lr=lr)
        self.inp = nn.Linear(feat_dim, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.out = nn.Linear(d_model, n_classes)

    def forward(self, feats, seq_len):
        mask = seq_len_to_mask(seq_len, feats.size(1))  # BUG
        x = self.inp(feats).transpose(0, 1)
        h, weights = self.attn(x, x, x, key_padding_mask=mask)  # BUG
        h = h.transpose(0, 1)
        keep = mask.unsqueeze(-1).float()
        return self.out((h * keep).sum(1) / keep.sum(1))

    def collate_fn(self, items):
        lens = torch.tensor([f.shape[0] for f, _ in items])
        feats = nn.utils.rnn.pad_sequence([f for f, _ in items], batch_first=True)
        return {"feats": feats, "seq_len": lens, "y": torch.tensor([y for _, y in items])}

    def training_step(self, batch, batch_idx):
        logits = self(batch["feats"], batch["seq_len"])
        loss = F.cross_entropy(logits, batch["y"])
        self.log("loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        logits = self(batch["feats"], batch["seq_len"])
        self.log("val_acc", (logits.argmax(-1) == batch["y"]).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = UtteranceEncoder()
    batch = m.collate_fn([(torch.randn(7, 40), 1), (torch.randn(4, 40), 2)])
    loss = m.training_step(batch, 0)
    print("loss finite:", torch.isfinite(loss).item())
