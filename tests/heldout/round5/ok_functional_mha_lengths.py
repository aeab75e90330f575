"""Exportable attention that calls F.multi_head_attention_forward with a padding mask built from
lengths (True = padded frame, as the functional API expects)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


@torch.jit.script
def lengths_to_padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]


class FlatAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.d, self.heads = d, heads
        self.w_in = nn.Parameter(torch.randn(3 * d, d) * d ** -0.5)
        self.b_in = nn.Parameter(torch.zeros(3 * d))
        self.out = nn.Linear(d, d)

    def forward(self, x, lengths):  # x: (T, B, d)
        pad = lengths_to_padding_mask(lengths, x.size(0))
        y, w = F.multi_head_attention_forward(
            x, x, x, self.d, self.heads, self.w_in, self.b_in, None, None, False, 0.0,
            self.out.weight, self.out.bias, training=self.training, key_padding_mask=pad,
        )
        return y, w


if __name__ == "__main__":
    y, w = FlatAttention()(torch.randn(10, 3, 64), torch.tensor([10, 6, 2]))
    print(y.shape, w[2, :, 2:].abs().max().item() == 0.0)
