"""The same smoke test, with the keep mask handed to SDPA inverted."""
import torch
import torch.nn.functional as F


def attend(q, k, v, attention_mask):
    pad = attention_mask == 0
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # expect: ML102


if __name__ == "__main__":
    am = torch.ones(2, 6, dtype=torch.long)
    am[1, :2] = 0
    q = torch.randn(2, 4, 6, 8)
    attend(q, q, q, am)
