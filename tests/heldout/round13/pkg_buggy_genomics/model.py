import torch
import torch.nn as nn


class ReadClassifier(nn.Module):
    def __init__(self, vocab_size=257, n_taxa=50, d_model=128, n_heads=4, n_layers=3, max_len=512):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, n_heads, 2 * d_model, dropout=0.0, batch_first=True)
            for _ in range(n_layers)
        )
        self.cls = nn.Linear(d_model, n_taxa)

    def forward(self, input_ids, valid):
        x = self.embed(input_ids) + self.pos[:, : input_ids.size(1)]
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=valid)  # expect: ML101
        w = valid.unsqueeze(-1).float()
        pooled = (x * w).sum(1) / w.sum(1).clamp(min=1.0)
        return self.cls(pooled)
