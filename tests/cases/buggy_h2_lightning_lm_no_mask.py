"""Lightning-style character LM; training_step calls self(...)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CharLM(nn.Module):  # pl.LightningModule in the original
    def __init__(self, vocab=96, d_model=256, nhead=4, nlayers=4, ctx=256):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(1, ctx, d_model))
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True, norm_first=True), nlayers
        )
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        h = self.emb(idx) + self.pos[:, : idx.size(1)]
        h = self.encoder(h)  # expect: ML401
        return self.lm_head(h)

    def training_step(self, batch, batch_idx):
        inp, tgt = batch[:, :-1], batch[:, 1:]
        logits = self(inp)
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1))

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=3e-4)
