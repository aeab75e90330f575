"""Table question answering encoder with row/column embeddings (TAPAS-style inputs)."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class TableBatch:
    input_ids: torch.Tensor       # (B, S)
    attention_mask: torch.Tensor  # (B, S), 1 for tokens, 0 for padding
    row_ids: torch.Tensor         # (B, S)
    column_ids: torch.Tensor      # (B, S)


class TableEncoder(nn.Module):
    def __init__(self, vocab=3000, d=96, heads=4, layers=2, max_rows=64, max_cols=32):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.row = nn.Embedding(max_rows, d)
        self.col = nn.Embedding(max_cols, d)
        self.norm = nn.LayerNorm(d)
        layer = nn.TransformerEncoderLayer(
            d, heads, dim_feedforward=2 * d, dropout=0.1, batch_first=True, norm_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.cell_select = nn.Linear(d, 1)
        self.agg = nn.Linear(d, 4)  # NONE / SUM / COUNT / AVERAGE

    def forward(self, batch: TableBatch):
        h = self.word(batch.input_ids) + self.row(batch.row_ids) + self.col(batch.column_ids)
        h = self.norm(h)
        token_mask = batch.attention_mask.bool()
        h = self.encoder(h, src_key_padding_mask=token_mask)  # expect: ML101
        cell_logits = self.cell_select(h).squeeze(-1)
        cell_logits = cell_logits.masked_fill(~token_mask, -1e4)
        agg_logits = self.agg(h[:, 0])
        return cell_logits, agg_logits


def make_batch(bsz=2, seq=40, vocab=3000):
    ids = torch.randint(5, vocab, (bsz, seq))
    am = torch.ones(bsz, seq, dtype=torch.long)
    am[1, 31:] = 0
    ids[1, 31:] = 0
    rows = torch.randint(0, 10, (bsz, seq))
    cols = torch.randint(0, 6, (bsz, seq))
    return TableBatch(ids, am, rows, cols)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TableEncoder()
    batch = make_batch()
    cell_logits, agg_logits = model(batch)
    answer = torch.zeros_like(cell_logits)
    answer[0, 7] = 1.0
    loss = nn.functional.binary_cross_entropy_with_logits(
        cell_logits, answer, weight=batch.attention_mask.float()
    )
    print(cell_logits.shape, agg_logits.shape, loss.item())
