"""The float16 minimum written out (-65504) in float32 code: summing two such biases gives -131008,
a finite float32 number, so nothing overflows; and one -65504 fill in half precision is exact."""
import torch
import torch.nn.functional as F

HALF_MIN = -65504.0


def bias(attention_mask):
    T = attention_mask.size(1)
    causal = torch.full((T, T), HALF_MIN).triu(1)
    pad = (1.0 - attention_mask[:, None, None, :].float()) * HALF_MIN
    return causal + pad


def attend(q, k, v, attention_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias(attention_mask))
