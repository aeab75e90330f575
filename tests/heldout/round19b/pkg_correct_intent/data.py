from typing import Dict, List, Sequence, Tuple

import torch
from torch.utils.data import Dataset

PAD, UNK = "<pad>", "<unk>"


class IntentDataset(Dataset):
    def __init__(self, examples: Sequence[Tuple[str, int]], vocab: Dict[str, int]):
        self.examples = list(examples)
        self.vocab = vocab

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        text, label = self.examples[i]
        ids = [self.vocab.get(w, self.vocab[UNK]) for w in text.lower().split()]
        return ids, label


def collate_batch(batch: List[Tuple[List[int], int]], pad_id: int = 0) -> Dict[str, torch.Tensor]:
    longest = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), longest), pad_id, dtype=torch.long)
    attention_mask = torch.zeros(len(batch), longest, dtype=torch.long)
    for row, (ids, _) in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        attention_mask[row, : len(ids)] = 1
    labels = torch.tensor([label for _, label in batch])
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
