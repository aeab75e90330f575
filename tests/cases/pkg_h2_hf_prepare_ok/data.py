import torch


def prepare_inputs(features, pad_token_id=0):
    max_len = max(len(f["input_ids"]) for f in features)
    ids = [f["input_ids"] + [pad_token_id] * (max_len - len(f["input_ids"])) for f in features]
    mask = [[1] * len(f["input_ids"]) + [0] * (max_len - len(f["input_ids"])) for f in features]
    return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask)}
