import torch


def collate_pairs(examples, pad_id=0):
    max_len = max(len(e["query"]) + len(e["passage"]) for e in examples)
    ids = torch.full((len(examples), max_len), pad_id, dtype=torch.long)
    for i, e in enumerate(examples):
        seq = e["query"] + e["passage"]
        ids[i, : len(seq)] = torch.tensor(seq)
    return {"input_ids": ids, "attention_mask": (ids != pad_id).long(),
            "labels": torch.tensor([e["label"] for e in examples], dtype=torch.float)}
