"""LightningModule for grapheme-to-phoneme conversion with nn.Transformer."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F


class G2PModule(L.LightningModule):
    def __init__(self, n_graphemes, n_phonemes, d_model=256, nhead=4, layers=3, pad_idx=0, lr=5e-4):
        super().__init__()
        self.save_hyperparameters()
        self.pad_idx = pad_idx
        self.src_emb = nn.Embedding(n_graphemes, d_model, padding_idx=pad_idx)
        self.tgt_emb = nn.Embedding(n_phonemes, d_model, padding_idx=pad_idx)
        self.pos = nn.Embedding(128, d_model)
        self.transformer = nn.Transformer(
            d_model, nhead, layers, layers, dim_feedforward=1024, dropout=0.1, batch_first=True
        )
        self.proj = nn.Linear(d_model, n_phonemes)

    def _emb(self, table, ids):
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, src, tgt_in):
        src_pad = src == self.pad_idx
        tgt_pad = tgt_in == self.pad_idx
        causal = torch.triu(
            torch.ones(tgt_in.size(1), tgt_in.size(1), dtype=torch.bool, device=self.device), diagonal=1
        )
        out = self.transformer(  # expect: ML502
            self._emb(self.src_emb, src),
            self._emb(self.tgt_emb, tgt_in),
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
        )
        return self.proj(out)

    def training_step(self, batch, batch_idx):
        src, tgt = batch
        logits = self(src, tgt[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=self.pad_idx)
        self.log("train/loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        src, tgt = batch
        tgt_in = tgt[:, :-1]
        src_pad = src == self.pad_idx
        tgt_pad = tgt_in == self.pad_idx
        memory = self.transformer.encoder(self._emb(self.src_emb, src), src_key_padding_mask=src_pad)
        causal = torch.triu(
            torch.ones(tgt_in.size(1), tgt_in.size(1), dtype=torch.bool, device=self.device), diagonal=1
        )
        out = self.transformer.decoder(
            self._emb(self.tgt_emb, tgt_in),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=tgt_pad,  # expect: ML503
        )
        loss = F.cross_entropy(self.proj(out).transpose(1, 2), tgt[:, 1:], ignore_index=self.pad_idx)
        self.log("val/loss", loss, prog_bar=True, sync_dist=True)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.lr, total_steps=self.trainer.estimated_stepping_batches)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}
