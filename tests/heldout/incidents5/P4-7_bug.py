"""Streaming keyword spotter trained with a Lightning-style module; chunked causal attention."""
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


def chunk_mask(T, chunk, device=None):
    """True = blocked; frames see their own chunk and all previous chunks."""
    idx = torch.arange(T, device=device) // chunk
    return idx[None, :] > idx[:, None]


class KeywordSpotter(LightningModule):
    def __init__(self, n_mels=20, d_model=32, nhead=4, chunk=4, n_keywords=5, lr=1e-3):
        super().__init__()
        self.save_hyperparameters(n_mels=n_mels, d_model=d_model, nhead=nhead, chunk=chunk,
                                  n_keywords=n_keywords, lr=lr)
        self.proj = nn.Linear(n_mels, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0, batch_first=True)
        self.cls = nn.Linear(d_model, n_keywords)

    def forward(self, mels):
        T = mels.shape[1]
        mask = chunk_mask(T, self.hparams.chunk, mels.device)
        h = self.layer(self.proj(mels), src_mask=mask, is_causal=True)  # BUG
        return self.cls(h)

    def training_step(self, batch, batch_idx):
        logits = self(batch["mels"])
        loss = F.cross_entropy(logits.flatten(0, 1), batch["frame_labels"].flatten())
        self.log("train_loss", loss)
        return loss

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        return self(batch["mels"]).argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = KeywordSpotter()
    batch = {"mels": torch.randn(2, 12, 20), "frame_labels": torch.randint(0, 5, (2, 12))}
    m.train()
    print("loss:", m.training_step(batch, 0).item())
    x2 = batch["mels"].clone()
    x2[:, 6:] = 0.0
    a, b = m(batch["mels"]), m(x2)
    print("chunk 0 independent of future:", torch.allclose(a[:, :4], b[:, :4], atol=1e-5))
