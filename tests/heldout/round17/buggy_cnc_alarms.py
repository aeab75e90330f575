"""Next-event model for CNC controller alarm and state logs.

Written in the LightningModule style (training_step / validation_step /
configure_optimizers) so it can be dropped into the shop-floor trainer.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS = 0, 1


class AlarmSequenceModel(nn.Module):
    def __init__(self, n_codes=256, n_machines=40, dim=64, heads=4, depth=2, lr=3e-4):
        super().__init__()
        self.lr = lr
        self.code = nn.Embedding(n_codes, dim, padding_idx=PAD)
        self.machine = nn.Embedding(n_machines, dim)
        self.gap = nn.Linear(1, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.out = nn.Linear(dim, n_codes)

    def forward(self, codes, gaps, machine_id):
        # gaps: seconds since the previous event, log-scaled by the collector
        x = self.code(codes) + self.gap(gaps.unsqueeze(-1)) + self.machine(machine_id)[:, None]
        pad = codes.eq(PAD)
        h = self.encoder(x, src_key_padding_mask=pad)  # expect: ML401
        return self.out(h)

    def _loss(self, batch):
        codes, gaps, machine_id = batch["codes"], batch["gaps"], batch["machine"]
        logits = self(codes[:, :-1], gaps[:, :-1], machine_id)
        return F.cross_entropy(
            logits.reshape(-1, logits.size(-1)), codes[:, 1:].reshape(-1), ignore_index=PAD
        )

    def training_step(self, batch, batch_idx):
        return self._loss(batch)

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        return {"val_loss": self._loss(batch)}

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.lr, weight_decay=0.01)
        return {"optimizer": opt, "gradient_clip_val": 1.0}


if __name__ == "__main__":
    m = AlarmSequenceModel()
    batch = {"codes": torch.randint(2, 256, (4, 33)), "gaps": torch.rand(4, 33),
             "machine": torch.randint(0, 40, (4,))}
    print(m.training_step(batch, 0))
