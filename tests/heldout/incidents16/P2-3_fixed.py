import torch
import torch.nn as nn


class Collator:
    """Pads token id lists and returns a tokenizer-style batch dict."""

    def __init__(self, pad_id=0):
        self.pad_id = pad_id

    def __call__(self, sequences):
        max_len = max(len(s) for s in sequences)
        ids = torch.full((len(sequences), max_len), self.pad_id, dtype=torch.long)
        attention_mask = torch.zeros((len(sequences), max_len), dtype=torch.long)
        for i, seq in enumerate(sequences):
            ids[i, : len(seq)] = torch.tensor(seq)
            attention_mask[i, : len(seq)] = 1
        return {"input_ids": ids, "attention_mask": attention_mask}


class SentimentEncoder(nn.Module):
    def __init__(self, vocab_size=100, d_model=32, nhead=4, num_layers=2, num_labels=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.head = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embedding(input_ids)
        x = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        lengths = attention_mask.sum(1, keepdim=True).clamp(min=1)
        return self.head((x * attention_mask.unsqueeze(-1)).sum(1) / lengths)


def evaluate(model, batch):
    model.eval()
    with torch.no_grad():
        return model(batch["input_ids"], batch["attention_mask"]).argmax(-1)


if __name__ == "__main__":
    collate = Collator()
    batch = collate([[5, 8, 13, 21], [3, 4], [9, 9, 9]])
    model = SentimentEncoder()
    logits = model(batch["input_ids"], batch["attention_mask"])
    print(logits.shape, evaluate(model, batch))
