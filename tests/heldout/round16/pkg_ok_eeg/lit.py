"""Sleep staging over a night of 30-second EEG epochs (Lightning-style module)."""
import torch
import torch.nn.functional as F
from torch import nn

from .attention import EagerSelfAttention
from .masks import extended_attention_mask


class SleepStager(nn.Module):
    def __init__(self, feat=64, dim=32, heads=4, n_stages=5, lr=1e-3):
        super().__init__()
        self.hparams = {"lr": lr}
        self.epoch_proj = nn.Linear(feat, dim)
        self.attn = EagerSelfAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_stages)

    def forward(self, epochs, epoch_mask):
        x = self.epoch_proj(epochs)
        x = self.norm(x + self.attn(x, extended_attention_mask(epoch_mask, x.dtype)))
        return self.head(x)

    def training_step(self, batch, batch_idx):
        logits = self(batch["epochs"], batch["epoch_mask"])
        labels = batch["stages"].masked_fill(batch["epoch_mask"] == 0, -100)
        return F.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams["lr"])
