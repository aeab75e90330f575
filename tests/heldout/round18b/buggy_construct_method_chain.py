"""Table-structure recognition: learned row/column queries cross-attend to OCR word tokens."""
import torch
import torch.nn as nn


def fake_tokenizer(cells, max_len):
    ids = torch.zeros(len(cells), max_len, dtype=torch.long)
    att = torch.zeros(len(cells), max_len, dtype=torch.long)
    for i, words in enumerate(cells):
        toks = [hash(w) % 997 + 1 for w in words][:max_len]
        ids[i, : len(toks)] = torch.tensor(toks)
        att[i, : len(toks)] = 1
    return {"input_ids": ids, "attention_mask": att}


class StructureDecoder(nn.Module):
    def __init__(self, n_queries=6, d=32, nhead=4, layers=2):
        super().__init__()
        self.word_emb = nn.Embedding(1000, d)
        self.queries = nn.Parameter(torch.randn(n_queries, d))
        layer = nn.TransformerDecoderLayer(d, nhead, 64, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.row_col = nn.Linear(d, 2)

    def forward(self, input_ids, memory_padding):
        memory = self.word_emb(input_ids)
        q = self.queries.expand(input_ids.size(0), -1, -1)
        h = self.decoder(q, memory, memory_key_padding_mask=memory_padding)
        return self.row_col(h)


def evaluate():
    torch.manual_seed(0)
    enc = fake_tokenizer([["Total", "12.50", "Tax", "1.10"], ["Item", "Qty", "Price", "Milk", "2", "3.20", "Eggs", "1", "2.99"]], 10)
    dec = StructureDecoder()
    dec.train()
    out = dec(enc["input_ids"], enc["attention_mask"].bool())  # BUG: tokenizer attention_mask (1 = word) passed as memory padding; the decoder blocks True
    print("rows/cols", round(out.mean().item(), 5))


if __name__ == "__main__":
    evaluate()
