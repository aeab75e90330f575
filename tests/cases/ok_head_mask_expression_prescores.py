"""The same head masks multiplied into the probabilities, after the softmax."""
import math

import torch


def attend(q, k, v, head_mask=None):
    probs = (q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))).softmax(-1)
    if head_mask is not None:
        probs = probs * head_mask.view(1, -1, 1, 1)
    return probs @ v


def attend_layer(q, k, v, layer_head_mask):
    probs = (q @ k.transpose(-1, -2)).softmax(-1)
    return (layer_head_mask[None, :, None, None] * probs) @ v
