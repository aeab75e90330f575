import torch

PAD_ID = 0


def collate(batch):
    max_len = max(len(x["ids"]) for x in batch)
    ids = torch.full((len(batch), max_len), PAD_ID, dtype=torch.long)
    for i, x in enumerate(batch):
        ids[i, : len(x["ids"])] = torch.tensor(x["ids"])
    return {
        "input_ids": ids,
        "attention_mask": (ids != PAD_ID).long(),
        "src_pad_mask": ids == PAD_ID,
        "labels": torch.tensor([x["label"] for x in batch]),
    }
