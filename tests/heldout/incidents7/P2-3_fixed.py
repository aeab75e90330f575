"""Sentence encoder built on nn.TransformerEncoder, fed by a tokenizer-style collate
function that returns `input_ids` and an integer `attention_mask` (1 = real token)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


def collate_fn(examples):
    max_len = max(len(e["input_ids"]) for e in examples)
    input_ids, attention_mask = [], []
    for e in examples:
        n = len(e["input_ids"])
        input_ids.append(e["input_ids"] + [PAD_ID] * (max_len - n))
        attention_mask.append([1] * n + [0] * (max_len - n))
    return {
        "input_ids": torch.tensor(input_ids),
        "attention_mask": torch.tensor(attention_mask),
        "labels": torch.tensor([e["label"] for e in examples]),
    }


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=300, d_model=32, nhead=4, num_layers=2, num_labels=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.pos = nn.Parameter(torch.zeros(1, 64, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.classifier = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids) + self.pos[:, : input_ids.size(1)]
        x = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        return self.classifier((x * m).sum(1) / m.sum(1))


def train_step(model, batch, optimizer):
    model.train()
    logits = model(batch["input_ids"], batch["attention_mask"])
    loss = F.cross_entropy(logits, batch["labels"])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    examples = [
        {"input_ids": [11, 25, 7, 3], "label": 1},
        {"input_ids": [4, 5], "label": 0},
        {"input_ids": [9, 18, 27], "label": 1},
    ]
    batch = collate_fn(examples)
    model = SentenceEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    print("train loss", train_step(model, batch, opt))
    model.eval()
    with torch.no_grad():
        print(model(batch["input_ids"], batch["attention_mask"]).argmax(-1))
