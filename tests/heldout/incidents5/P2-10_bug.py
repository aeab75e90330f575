"""Cell-set transformer trained with a Lightning-style module; sets of variable size are padded."""
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


class SetAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, attn_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)  # BUG
        return self.out(y.transpose(1, 2).reshape(b, s, d))


class StateTransitionModel(LightningModule):
    def __init__(self, n_genes=50, dim=32, heads=4, lr=1e-3):
        super().__init__()
        self.save_hyperparameters(n_genes=n_genes, dim=dim, heads=heads, lr=lr)
        self.enc = nn.Linear(n_genes, dim)
        self.attn = SetAttention(dim, heads)
        self.dec = nn.Linear(dim, n_genes)

    def build_attn_mask(self, valid):
        valid = valid.float()  # BUG
        return valid[:, :, None] & valid[:, None, :]  # BUG

    def forward(self, cells, valid):
        h = self.enc(cells)
        h = h + self.attn(h, self.build_attn_mask(valid))
        return self.dec(h)

    def collate_fn(self, sets):
        S = max(s.shape[0] for s in sets)
        cells = torch.zeros(len(sets), S, self.hparams.n_genes)
        valid = torch.zeros(len(sets), S, dtype=torch.bool)
        for i, s in enumerate(sets):
            cells[i, : s.shape[0]] = s
            valid[i, : s.shape[0]] = True
        return {"cells": cells, "valid": valid}

    def training_step(self, batch, batch_idx):
        pred = self(batch["cells"], batch["valid"])
        m = batch["valid"].unsqueeze(-1)
        loss = F.mse_loss(pred * m, batch["cells"] * m)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        with torch.no_grad():
            return self.training_step(batch, batch_idx)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StateTransitionModel()
    batch = model.collate_fn([torch.randn(5, 50), torch.randn(8, 50)])
    print("loss:", model.training_step(batch, 0).item())
