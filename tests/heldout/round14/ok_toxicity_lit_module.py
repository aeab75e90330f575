"""Multi-label toxicity classifier for code-review comments, structured as a LightningModule
(without requiring lightning). Batches come from a tokenizer that returns integer
attention_mask tensors (1 = real token), as Hugging Face tokenizers do."""
from __future__ import annotations

import zlib
from typing import Dict, List

import torch
import torch.nn.functional as F
from torch import nn

LABELS = ["toxic", "insult", "identity_attack", "profanity", "threat"]


class HashTokenizer:
    """Stand-in for a pretrained tokenizer: hashed word pieces, HF-style output dict."""

    def __init__(self, vocab_size: int = 8192, max_length: int = 48):
        self.vocab_size, self.max_length = vocab_size, max_length

    def __call__(self, texts: List[str]) -> Dict[str, torch.Tensor]:
        ids = [[2] + [3 + zlib.crc32(w.encode()) % (self.vocab_size - 3) for w in t.lower().split()][: self.max_length - 1] for t in texts]
        width = max(map(len, ids))
        return {
            "input_ids": torch.tensor([r + [0] * (width - len(r)) for r in ids]),
            "attention_mask": torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in ids]),
        }


class ToxicityModule(nn.Module):
    def __init__(self, vocab_size: int = 8192, dim: int = 64, heads: int = 4, layers: int = 2, lr: float = 3e-4):
        super().__init__()
        self.lr = lr
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(dim, len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        h = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        weights = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * weights).sum(1) / weights.sum(1).clamp_min(1.0)
        return self.head(pooled)

    def training_step(self, batch, batch_idx):
        logits = self(batch["input_ids"], batch["attention_mask"])
        return F.binary_cross_entropy_with_logits(logits, batch["labels"])

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.lr)


if __name__ == "__main__":
    torch.manual_seed(0)
    tok = HashTokenizer()
    comments = ["looks good to me, thanks", "this is garbage code and you should feel bad",
                "nit: rename this variable", "who wrote this nonsense"]
    batch = {**tok(comments), "labels": torch.tensor([[0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0],
                                                     [1, 0, 0, 0, 0]], dtype=torch.float)}
    module = ToxicityModule()
    opt = module.configure_optimizers()
    loss = module.training_step(batch, 0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    module.eval()
    with torch.no_grad():
        probs = module(batch["input_ids"], batch["attention_mask"]).sigmoid()
    print("loss", round(loss.item(), 4), "p(toxic)", probs[:, 0].numpy().round(3).tolist())
