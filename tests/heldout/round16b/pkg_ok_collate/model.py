import torch
import torch.nn as nn


class IntentClassifier(nn.Module):
    def __init__(self, vocab=500, dim=64, heads=4, n_intents=7):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, n_intents)

    def forward(self, batch):
        x = self.emb(batch["input_ids"])
        x = self.norm(x + self.attn(x, x, x, key_padding_mask=batch["src_pad_mask"])[0])
        w = batch["attention_mask"].unsqueeze(-1).to(x.dtype)
        return self.cls((x * w).sum(1) / w.sum(1))
