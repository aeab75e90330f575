import torch
import torch.nn as nn
import torch.nn.functional as F


def collate_nli(examples, pad_id=0):
    """examples: dicts with token id lists for '[CLS] premise [SEP] hypothesis [SEP]' and a label."""
    max_len = max(len(e["input_ids"]) for e in examples)
    input_ids = torch.full((len(examples), max_len), pad_id, dtype=torch.long)
    token_type_ids = torch.zeros_like(input_ids)
    for i, e in enumerate(examples):
        n = len(e["input_ids"])
        input_ids[i, :n] = torch.tensor(e["input_ids"])
        token_type_ids[i, :n] = torch.tensor(e["token_type_ids"])
    attention_mask = torch.ones_like(input_ids)  # BUG
    labels = torch.tensor([e["label"] for e in examples])
    return {"input_ids": input_ids, "token_type_ids": token_type_ids, "attention_mask": attention_mask, "labels": labels}


class NLIClassifier(nn.Module):
    def __init__(self, vocab_size=30522, hidden=128, heads=4, layers=2, max_len=256, num_labels=3):
        super().__init__()
        self.word = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.position = nn.Embedding(max_len, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.classifier = nn.Linear(hidden, num_labels)

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.norm(self.word(input_ids) + self.position(pos) + self.token_type(token_type_ids))
        h = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        return self.classifier(h[:, 0])


def train_one_epoch(model, loader, optimizer, scheduler=None):
    model.train()
    correct = total = 0
    for batch in loader:
        logits = model(batch["input_ids"], batch["token_type_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits, batch["labels"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        correct += (logits.argmax(-1) == batch["labels"]).sum().item()
        total += batch["labels"].numel()
    return correct / max(total, 1)
