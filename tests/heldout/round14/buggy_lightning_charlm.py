"""Character-level language model for product titles, organised like a LightningModule
(training_step / validation_step / configure_optimizers) with a minimal fit loop so that it
runs without the lightning package."""
from __future__ import annotations

import math
from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import nn

HPARAMS = SimpleNamespace(vocab=128, d_model=64, nhead=4, num_layers=2, dim_ff=128, dropout=0.1,
                          lr=3e-4, warmup=20, max_len=96, pad_id=0)


class SinusoidalPosition(nn.Module):
    def __init__(self, d_model: int, max_len: int):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pe[: x.size(1)]


class LitCharLM(nn.Module):
    def __init__(self, hparams=HPARAMS):
        super().__init__()
        self.hparams = hparams
        self.embed = nn.Embedding(hparams.vocab, hparams.d_model, padding_idx=hparams.pad_id)
        self.pos = SinusoidalPosition(hparams.d_model, hparams.max_len)
        layer = nn.TransformerEncoderLayer(hparams.d_model, hparams.nhead, hparams.dim_ff, hparams.dropout,
                                           batch_first=True, norm_first=True)
        self.backbone = nn.TransformerEncoder(layer, hparams.num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(hparams.d_model, hparams.vocab)

    def forward(self, chars: torch.Tensor) -> torch.Tensor:
        pad = chars.eq(self.hparams.pad_id)
        h = self.pos(self.embed(chars) * math.sqrt(self.hparams.d_model))
        h = self.backbone(h, src_key_padding_mask=pad)  # expect: ML401
        return self.lm_head(h)

    def _shared_step(self, batch):
        logits = self(batch[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), batch[:, 1:], ignore_index=self.hparams.pad_id)

    def training_step(self, batch, batch_idx):
        return self._shared_step(batch)

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        return self._shared_step(batch)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / self.hparams.warmup))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def encode_titles(titles, max_len=HPARAMS.max_len):
    rows = [[min(ord(c), 127) or 1 for c in t[: max_len - 1]] + [10] for t in titles]
    width = max(map(len, rows))
    return torch.tensor([r + [HPARAMS.pad_id] * (width - len(r)) for r in rows])


def fit(module: LitCharLM, train_batches, val_batches, epochs: int = 1):
    cfg = module.configure_optimizers()
    opt, sched = cfg["optimizer"], cfg["lr_scheduler"]["scheduler"]
    for epoch in range(epochs):
        module.train()
        for i, batch in enumerate(train_batches):
            loss = module.training_step(batch, i)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        module.eval()
        val = sum(module.validation_step(b, i).item() for i, b in enumerate(val_batches)) / len(val_batches)
        print(f"epoch {epoch}: train_loss={loss.item():.4f} val_loss={val:.4f}")


if __name__ == "__main__":
    torch.manual_seed(0)
    titles = ["USB-C charging cable 2m", "Stainless steel water bottle", "Wireless mouse, silent click",
              "Organic green tea 100 bags", "Noise cancelling headphones", "LED desk lamp"]
    train = [encode_titles(titles[:3]), encode_titles(titles[3:5])]
    val = [encode_titles(titles[5:])]
    fit(LitCharLM(), train, val, epochs=2)
