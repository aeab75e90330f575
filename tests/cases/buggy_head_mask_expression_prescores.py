"""A head mask reshaped on its way into the scores (`head_mask.view(1, -1, 1, 1)`,
`layer_head_mask[None, :, None, None]`): multiplied before the softmax all the same (ML206)."""
import math

import torch


def attend(q, k, v, head_mask=None):
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    if head_mask is not None:
        scores = scores * head_mask.view(1, -1, 1, 1)  # expect: ML206
    return scores.softmax(-1) @ v


def attend_layer(q, k, v, layer_head_mask):
    scores = q @ k.transpose(-1, -2)
    scores = layer_head_mask[None, :, None, None] * scores  # expect: ML206
    return scores.softmax(-1) @ v
