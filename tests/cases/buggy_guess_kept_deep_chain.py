"""A guess is kept when the call that would settle it is not followed (deeper than the analysis goes,
even for a last helper that calls nothing of the project)."""
import torch
import torch.nn.functional as F


def attend(q, k, v, attention_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask[:, None, None, :])  # expect: ML203


def layer4(q, k, v, attention_mask):
    return attend(q, k, v, attention_mask)


def layer3(q, k, v, attention_mask):
    return layer4(q, k, v, attention_mask)


def layer2(q, k, v, attention_mask):
    return layer3(q, k, v, attention_mask)


def layer1(q, k, v, attention_mask):
    return layer2(q, k, v, attention_mask)


def layer0(q, k, v, attention_mask):
    return layer1(q, k, v, attention_mask)


def run(q, k, v, ids):
    pad = ids == 0
    return layer0(q, k, v, pad)
