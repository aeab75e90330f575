"""A helper masks the scores its caller normalises (pbloem/former#10, P7-1)."""
import torch
import torch.nn.functional as F


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    h, w = matrices.size(-2), matrices.size(-1)
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[:, indices[0], indices[1]] = maskval


def attend(queries, keys, values):
    dot = torch.bmm(queries, keys.transpose(1, 2))
    mask_(dot, maskval=float("-inf"), mask_diagonal=True)  # expect: ML404
    return torch.bmm(F.softmax(dot, dim=2), values)


def attend_ok(queries, keys, values):
    dot = torch.bmm(queries, keys.transpose(1, 2))
    mask_(dot, maskval=float("-inf"), mask_diagonal=False)
    return torch.bmm(F.softmax(dot, dim=2), values)


def span_logits(logits):
    # logits of a span classifier: no softmax over keys, the fill is not an attention mask
    mask_(logits, maskval=float("-inf"), mask_diagonal=True)
    return logits
