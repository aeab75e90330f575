import torch
import torch.nn.functional as F


def joint_attention(q, k, v, text_mask, image_len):
    b, t = text_mask.shape
    mix = torch.ones((b, t + image_len))
    mix[:, :t] = text_mask.float()
    mix = mix.unsqueeze(2)
    pairs = mix @ mix.transpose(1, 2)
    bias = (pairs > 0).unsqueeze(1).to(q.dtype)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML202
