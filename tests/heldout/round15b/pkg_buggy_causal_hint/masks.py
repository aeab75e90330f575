import torch


def left_padding_mask(attention_mask, num_heads):
    blocked = (attention_mask == 0)[:, None, :].expand(-1, attention_mask.size(1), -1)
    return blocked.repeat_interleave(num_heads, dim=0)
