import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import Dataset

PAD_ID = 0


class ReviewDataset(Dataset):
    def __init__(self, reviews, vocab):
        self.items = []
        for text, stars in reviews:
            ids = [vocab.setdefault(w, len(vocab) + 1) for w in text.lower().split()]
            self.items.append((torch.tensor(ids, dtype=torch.long), int(stars >= 4)))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        ids, label = self.items[i]
        return {"ids": ids, "label": label}


def collate_reviews(samples):
    ids = pad_sequence([s["ids"] for s in samples], batch_first=True, padding_value=PAD_ID)
    return {
        "input_ids": ids,
        "padding_mask": ids != PAD_ID,
        "labels": torch.tensor([s["label"] for s in samples]),
    }
