import torch
import torch.nn as nn
import torch.nn.functional as F


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size: int, num_classes: int = 2, d_model: int = 64, nhead: int = 4, max_len: int = 128):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Embedding(max_len, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2 * d_model, batch_first=True)
        self.classifier = nn.Linear(d_model, num_classes)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.tok(input_ids) + self.pos(positions)
        padding_mask = attention_mask == 0
        h = self.layer(x, src_key_padding_mask=padding_mask)
        keep = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.classifier(pooled)


class ReviewTask(nn.Module):
    """Lightning-style wrapper: owns the model, the loss and the optimiser config."""

    def __init__(self, vocab_size: int, lr: float = 3e-4):
        super().__init__()
        self.model = ReviewClassifier(vocab_size)
        self.lr = lr

    def training_step(self, batch, batch_idx=0):
        logits = self.model(batch["input_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits, batch["labels"])
        return loss

    @torch.no_grad()
    def validation_step(self, batch, batch_idx=0):
        logits = self.model(batch["input_ids"], batch["attention_mask"])
        return (logits.argmax(-1) == batch["labels"]).float().mean()

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.lr)
