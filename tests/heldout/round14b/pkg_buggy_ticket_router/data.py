import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import Dataset

PAD_ID = 0
UNK_ID = 1
QUEUES = ["billing", "outage", "account", "feature-request"]


class WordVocab:
    def __init__(self, texts, min_freq=1):
        counts = {}
        for t in texts:
            for w in t.lower().split():
                counts[w] = counts.get(w, 0) + 1
        self.itos = ["<pad>", "<unk>"] + sorted(w for w, c in counts.items() if c >= min_freq)
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    def encode(self, text):
        return [self.stoi.get(w, UNK_ID) for w in text.lower().split()]


class TicketDataset(Dataset):
    def __init__(self, rows, vocab):
        self.rows, self.vocab = rows, vocab

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        text, queue = self.rows[i]
        return torch.tensor(self.vocab.encode(text)), QUEUES.index(queue)


def collate_tickets(batch):
    ids = pad_sequence([b[0] for b in batch], batch_first=True, padding_value=PAD_ID)
    return {
        "input_ids": ids,
        "attention_mask": (ids != PAD_ID).long(),
        "labels": torch.tensor([b[1] for b in batch]),
    }
