"""Cell-selection head for table question answering (TAPAS-like, small)."""
import torch
import torch.nn as nn


class TableQAModel(nn.Module):
    def __init__(self, vocab=1000, dim=64, max_rows=32, max_cols=16, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.seg = nn.Embedding(2, dim)
        self.row = nn.Embedding(max_rows, dim)
        self.col = nn.Embedding(max_cols, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.select = nn.Linear(dim, 1)
        self.agg = nn.Linear(dim, 4)  # NONE / SUM / COUNT / AVERAGE

    def forward(self, batch):
        h = (
            self.tok(batch["input_ids"])
            + self.seg(batch["token_type_ids"])
            + self.row(batch["row_ids"])
            + self.col(batch["column_ids"])
        )
        h = self.encoder(h, src_key_padding_mask=batch["attention_mask"].bool())  # expect: ML101
        cell_logits = self.select(h).squeeze(-1)
        cell_logits = cell_logits.masked_fill(batch["token_type_ids"] == 0, -1e4)
        agg_logits = self.agg(h[:, 0])
        return cell_logits, agg_logits


def toy_batch(lengths, seq_len=24, vocab=1000):
    b = len(lengths)
    ids = torch.randint(1, vocab, (b, seq_len))
    attn = torch.zeros(b, seq_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        attn[i, :n] = 1
        ids[i, n:] = 0
    tt = torch.zeros(b, seq_len, dtype=torch.long)
    tt[:, 6:] = 1
    return {
        "input_ids": ids,
        "attention_mask": attn,
        "token_type_ids": tt * attn,
        "row_ids": torch.randint(0, 32, (b, seq_len)) * attn,
        "column_ids": torch.randint(0, 16, (b, seq_len)) * attn,
    }


if __name__ == "__main__":
    model = TableQAModel()
    cells, agg = model(toy_batch([24, 15]))
    print(cells.shape, agg.shape)
