"""A 1-D mask from one count (`arange(n_rows) < n_real`: the real rows of a padded batch, as in
intersample attention over table rows) is a padding mask over those rows, shape (S,)."""
import torch
import torch.nn as nn


class IntersampleAttention(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, rows, n_real: int):
        row_valid = torch.arange(rows.size(0), device=rows.device) < n_real
        x = rows.reshape(1, rows.size(0), -1)
        return self.attn(x, x, x, key_padding_mask=row_valid.unsqueeze(0))[0]  # expect: ML101
