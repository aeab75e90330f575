"""Speech encoder trained with mixed precision inside a Lightning-style module."""
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


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, padding_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5
        attn = attn.masked_fill(padding_mask[:, None, None, :], torch.finfo(attn.dtype).min)
        return self.out((attn.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class SpeechEncoder(LightningModule):
    def __init__(self, n_mels=16, dim=32, heads=4, vocab=20, precision="16-mixed"):
        super().__init__()
        self.save_hyperparameters(n_mels=n_mels, dim=dim, heads=heads, vocab=vocab, precision=precision)
        self.proj = nn.Linear(n_mels, dim)
        self.attn = SelfAttention(dim, heads)
        self.ctc = nn.Linear(dim, vocab)

    def forward(self, feats, lengths):
        padding_mask = torch.arange(feats.shape[1])[None, :] >= lengths[:, None]
        h = self.proj(feats)
        return self.ctc(h + self.attn(h, padding_mask))

    def training_step(self, batch, batch_idx):
        dtype = torch.float16 if self.hparams.precision == "16-mixed" else torch.float32
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=False):
            logits = self.to(dtype)(batch["feats"].to(dtype), batch["lengths"]).float()
        loss = F.cross_entropy(logits.flatten(0, 1), batch["labels"].flatten())
        self.log("train_loss", loss)
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SpeechEncoder()
    batch = {"feats": torch.randn(2, 6, 16), "lengths": torch.tensor([6, 4]),
             "labels": torch.randint(0, 20, (2, 6))}
    print("loss:", m.training_step(batch, 0).item())
