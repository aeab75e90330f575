"""Spreadsheet QA reader on top of a tokenizer's output dict."""
import torch
import torch.nn as nn


class SheetReader(nn.Module):
    def __init__(self, vocab=1000, dim=64, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.row = nn.Embedding(32, dim)
        self.col = nn.Embedding(16, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.span = nn.Linear(dim, 2)

    def forward(self, batch):
        attention_mask = batch["attention_mask"]
        h = self.tok(batch["input_ids"]) + self.row(batch["row_ids"]) + self.col(batch["column_ids"])
        is_pad = attention_mask == 0
        h = self.encoder(h, src_key_padding_mask=is_pad)
        start, end = self.span(h).unbind(-1)
        keep = attention_mask.bool()
        start = start.masked_fill(~keep, torch.finfo(start.dtype).min)
        end = end.masked_fill(~keep, torch.finfo(end.dtype).min)
        return start, end


if __name__ == "__main__":
    b, n = 2, 20
    enc = {
        "input_ids": torch.randint(1, 1000, (b, n)),
        "attention_mask": torch.ones(b, n, dtype=torch.long),
        "row_ids": torch.randint(0, 32, (b, n)),
        "column_ids": torch.randint(0, 16, (b, n)),
    }
    enc["attention_mask"][1, 12:] = 0
    enc["input_ids"][1, 12:] = 0
    start, end = SheetReader().eval()(enc)
    print(start.argmax(-1), end.argmax(-1))
