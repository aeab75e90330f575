"""LightningModule for a small decoder-only LM built on nn.TransformerEncoder
(batch_first), with an explicit causal mask plus the is_causal hint."""
import lightning.pytorch as pl
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyStoriesLM(pl.LightningModule):
    def __init__(self, vocab_size=8192, d_model=384, nhead=6, num_layers=6, max_len=512, pad_id=0, lr=6e-4):
        super().__init__()
        self.save_hyperparameters()
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        block = nn.TransformerEncoderLayer(
            d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1,
            batch_first=True, norm_first=True, activation="gelu",
        )
        self.body = nn.TransformerEncoder(block, num_layers, enable_nested_tensor=False)
        self.ln = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, input_ids):
        B, T = input_ids.shape  # batch_first
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=self.device, dtype=torch.bool)
        pad = input_ids == self.hparams.pad_id  # right padding only: position 0 is never a pad
        x = self.tok(input_ids) + self.pos(torch.arange(T, device=self.device))
        x = self.body(x, mask=causal, src_key_padding_mask=pad, is_causal=True)
        return self.head(self.ln(x))

    def _step(self, batch):
        ids = batch["input_ids"]
        logits = self(ids[:, :-1])
        return F.cross_entropy(
            logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1), ignore_index=self.hparams.pad_id
        )

    def training_step(self, batch, batch_idx):
        loss = self._step(batch)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        self.log("val_loss", self._step(batch), prog_bar=True, sync_dist=True)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, betas=(0.9, 0.95), weight_decay=0.1)


if __name__ == "__main__":
    from lightning.pytorch import Trainer

    model = TinyStoriesLM()
    trainer = Trainer(max_steps=20000, precision="bf16-mixed", gradient_clip_val=1.0)
    # trainer.fit(model, datamodule=...)
