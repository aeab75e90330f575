"""Next-event model for CNC controller alarm logs, LightningModule style."""
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
        x = self.code(codes) + self.gap(gaps.unsqueeze(-1)) + self.machine(machine_id)[:, None]
        pad = codes.eq(PAD)
        causal = nn.Transformer.generate_square_subsequent_mask(
            codes.size(1), device=codes.device, dtype=torch.bool
        )
        h = self.encoder(x, mask=causal, src_key_padding_mask=pad, is_causal=True)
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
        return torch.optim.AdamW(self.parameters(), lr=self.lr, weight_decay=0.01)
