import torch


def left_pad_histories(histories, max_len, pad_item=0):
    seqs = torch.full((len(histories), max_len), pad_item, dtype=torch.long)
    for i, h in enumerate(histories):
        h = h[-max_len:]
        seqs[i, max_len - len(h):] = torch.as_tensor(h)
    return seqs


def attention_keep_mask(seqs, pad_item=0):
    return (seqs != pad_item)[:, None, None, :]
