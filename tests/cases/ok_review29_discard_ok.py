import torch
import torch.nn.functional as F


def attend(q, k, v, pad):
    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
    scores.masked_fill_(pad[:, None, None, :], float("-inf"))
    return scores.softmax(-1) @ v


def debug_view(scores, pad):
    # in a doctest-like REPL helper, the value is printed by the caller
    print(scores.masked_fill(pad, 0.0))
    return scores
