"""A smoke test pads one sample on the left by hand (zeros written into ones); the model turns the
keep mask into SDPA's True = attend correctly."""
import torch
import torch.nn.functional as F


def attend(q, k, v, attention_mask):
    keep = attention_mask.bool()[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


if __name__ == "__main__":
    am = torch.ones(2, 6, dtype=torch.long)
    am[1, :2] = 0
    q = torch.randn(2, 4, 6, 8)
    attend(q, q, q, am)
