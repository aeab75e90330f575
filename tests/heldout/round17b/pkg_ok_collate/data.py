"""Hugging Face style batches: input_ids + attention_mask (1 = real token)."""
import torch

QUEUES = ["billing", "crash", "login", "feature", "other"]


def hash_tokenize(text, vocab=8000, max_len=24):
    ids = [2] + [(sum(ord(c) * 31 ** i for i, c in enumerate(w)) % (vocab - 5)) + 5
                 for w in text.lower().split()]
    return ids[:max_len]


class ReviewDataset(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        text, queue = self.rows[i]
        return hash_tokenize(text), QUEUES.index(queue)


def collate(items):
    n = max(len(ids) for ids, _ in items)
    input_ids = torch.zeros(len(items), n, dtype=torch.long)
    attention_mask = torch.zeros(len(items), n, dtype=torch.long)
    for i, (ids, _) in enumerate(items):
        input_ids[i, :len(ids)] = torch.tensor(ids)
        attention_mask[i, :len(ids)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask,
            "labels": torch.tensor([q for _, q in items])}
