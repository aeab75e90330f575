"""The same layers passing both masks on, and one that takes a mask it documents as unused."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(params, x, heads, key_padding_mask=None, attn_mask=None):
    out, _ = F.multi_head_attention_forward(
        x, x, x, x.size(-1), heads, params["w"], params["b"], None, None, False, 0.0,
        params["ow"], params["ob"], key_padding_mask=key_padding_mask, need_weights=False, attn_mask=attn_mask,
    )
    return out


def layer(params, x, padding_mask, heads, attn_mask=None):
    if attn_mask is not None:
        attn_mask = attn_mask.to(torch.bool)
    return attend(params, x, heads, key_padding_mask=padding_mask, attn_mask=attn_mask)


class LocalBlock(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def _attn(self, x, key_padding_mask=None, attn_mask=None):
        return self.mha(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask, need_weights=False)[0]

    def forward(self, x, pad, window_mask=None):
        return x + self._attn(x, key_padding_mask=pad)
