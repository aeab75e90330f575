import torch


def make_masks(src, tgt, pad_id):
    t = tgt.size(1)
    causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tgt.device), diagonal=1)
    return causal, src.eq(pad_id), tgt.eq(pad_id)
