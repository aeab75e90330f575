"""A call passing a literal None says nothing about the masks a real caller passes: the guess stays."""
import torch
import torch.nn.functional as F


def attend(q, k, v, attention_mask=None):
    if attention_mask is not None:
        attention_mask = attention_mask[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)  # expect: ML203


def smoke():
    q = torch.randn(2, 2, 4, 8)
    return attend(q, q, q, attention_mask=None)
