import torch


def collate(batch, pad_id=0):
    width = max(len(b["ids"]) for b in batch)
    input_ids = torch.full((len(batch), width), pad_id)
    attention_mask = torch.zeros(len(batch), width, dtype=torch.long)
    for i, b in enumerate(batch):
        input_ids[i, : len(b["ids"])] = torch.tensor(b["ids"])
        attention_mask[i, : len(b["ids"])] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask,
            "labels": torch.tensor([b["label"] for b in batch])}
