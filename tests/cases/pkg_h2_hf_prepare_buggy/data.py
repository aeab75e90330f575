"""HF-style collator: batch["attention_mask"] is 1 for real tokens."""
import torch


def prepare_inputs(features, pad_token_id=0):
    max_len = max(len(f["input_ids"]) for f in features)
    ids, mask = [], []
    for f in features:
        n = len(f["input_ids"])
        ids.append(f["input_ids"] + [pad_token_id] * (max_len - n))
        mask.append([1] * n + [0] * (max_len - n))
    return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask)}
