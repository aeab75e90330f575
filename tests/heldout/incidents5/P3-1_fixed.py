"""Cross-modal video/text encoder, trained through a Lightning-style retrieval module."""
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


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.ln_2 = nn.LayerNorm(d_model)

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, x, attn_mask):
        x = x + self.attention(self.ln_1(x), attn_mask)
        return x + self.mlp(self.ln_2(x))


class CrossRetrieval(LightningModule):
    def __init__(self, d_model=32, n_head=4, layers=2, lr=1e-4):
        super().__init__()
        self.save_hyperparameters(d_model=d_model, n_head=n_head, layers=layers, lr=lr)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(d_model, n_head) for _ in range(layers))
        self.similarity = nn.Linear(d_model, 1)

    def get_extended_attention_mask(self, mask):
        # (B, S) 1/0 -> additive (B, S, S)
        ext = (1.0 - mask[:, None, :].float()) * -1000000.0
        return ext.expand(-1, mask.size(1), -1)

    def forward(self, text, video, text_mask, video_mask):
        x = torch.cat([text, video], dim=1)
        mask = torch.cat([text_mask, video_mask], dim=1)
        ext = self.get_extended_attention_mask(mask)
        h = x.permute(1, 0, 2)
        for blk in self.blocks:
            h = blk(h, ext)
        return self.similarity(h[0]).squeeze(-1)

    def training_step(self, batch, batch_idx):
        logits = self(batch["text"], batch["video"], batch["text_mask"], batch["video_mask"])
        loss = F.binary_cross_entropy_with_logits(logits, batch["label"])
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        with torch.no_grad():
            return self(batch["text"], batch["video"], batch["text_mask"], batch["video_mask"])


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CrossRetrieval().eval()
    batch = {"text": torch.randn(2, 4, 32), "video": torch.randn(2, 6, 32),
             "text_mask": torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]]),
             "video_mask": torch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]]),
             "label": torch.tensor([1.0, 0.0])}
    both = m.validation_step(batch, 0)
    one = m.validation_step({k: v[1:] for k, v in batch.items()}, 0)
    print("batch independent:", torch.allclose(both[1:], one, atol=1e-5))
