"""Attention modules configured in a chain (.eval(), .to(), .cuda().half(), .requires_grad_()) stay known."""
import torch
import torch.nn as nn

attn = nn.MultiheadAttention(16, 4, batch_first=True).eval()
x = torch.randn(2, 5, 16)
keep = torch.ones(2, 5, dtype=torch.bool)
out, _ = attn(x, x, x, key_padding_mask=keep)  # expect: ML101

device = "cpu"
attn2 = nn.MultiheadAttention(16, 4, batch_first=True).to(device)
x = torch.randn(2, 5, 16)
causal = torch.tril(torch.ones(5, 5, dtype=torch.bool))
out, _ = attn2(x, x, x, attn_mask=causal)  # expect: ML101


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(16, 4, batch_first=True).cuda().half()
        self.attn2 = nn.MultiheadAttention(16, 4, batch_first=True).requires_grad_(False)

    def forward(self, x, input_ids):
        keep = input_ids != 0
        y, _ = self.attn(x, x, x, key_padding_mask=keep)  # expect: ML101
        z, _ = self.attn2(x, x, x, key_padding_mask=keep)  # expect: ML101
        return y + z
