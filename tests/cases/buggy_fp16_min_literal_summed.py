"""A chat model served in half precision whose causal and padding biases are both filled with the
float16 minimum written out (-65504) and then added: where both hide a key the sum is -131008,
which float16 cannot hold (-inf), and a fully hidden row is NaN after the softmax."""
import torch
import torch.nn.functional as F

HALF_MIN = -65504.0


def bias(attention_mask, dtype):
    T = attention_mask.size(1)
    causal = torch.full((T, T), HALF_MIN, dtype=dtype).triu(1)
    pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * HALF_MIN
    return causal + pad  # expect: ML205


def serve(model, q, k, v, attention_mask):
    model.half()
    return F.scaled_dot_product_attention(q.half(), k.half(), v.half(), attn_mask=bias(attention_mask, torch.float16))
