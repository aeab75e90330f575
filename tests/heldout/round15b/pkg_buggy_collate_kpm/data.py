import torch

PAD = 0


def encode(text, vocab):
    return [vocab.setdefault(w, len(vocab) + 1) for w in text.split()]


def collate(batch, max_len=12):
    seqs = [b["ids"][:max_len] for b in batch]
    width = max(len(s) for s in seqs)
    input_ids = torch.full((len(seqs), width), PAD, dtype=torch.long)
    attention_mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        input_ids[i, : len(s)] = torch.tensor(s)
        attention_mask[i, : len(s)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask,
            "labels": torch.tensor([b["label"] for b in batch])}
