"""A finding is reported where the offending step is written: data passed in from a smoke test or
a training script is not the bug when the callee reshapes or inverts it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Pool(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, lengths_mask):
        pad = (lengths_mask == 0).unsqueeze(1)  # (B, 1, S)
        return self.attn(x, x, x, key_padding_mask=pad)[0]  # expect: ML301


def encode(q, k, v, keep):
    hidden = keep == 0  # True = padding
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden[:, None, None, :])  # expect: ML102


def train_step(model, batch):
    return model(batch["x"], batch["mask"])


if __name__ == "__main__":
    mask = torch.ones(2, 9, dtype=torch.long)
    mask[1, 5:] = 0
    train_step(Pool(), {"x": torch.randn(2, 9, 32), "mask": mask})
    q = torch.randn(2, 4, 9, 8)
    encode(q, q, q, mask)
