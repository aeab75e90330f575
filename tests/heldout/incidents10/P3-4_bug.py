"""Reproducer-style script (pytorch#97605): a learned per-sample attention
bias stacked for every head, plus a key padding mask."""
import torch
import torch.nn as nn

N, L, E, NUM_HEADS = 3, 5, 8, 2


class BiasedSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(E, NUM_HEADS, batch_first=True)

    def forward(self, x, bias, key_padding_mask):
        attn_mask = bias.repeat(NUM_HEADS, 1, 1)  # BUG
        out, _ = self.mha(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask.float().masked_fill(key_padding_mask, float("-inf")))
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BiasedSelfAttention()
    x = torch.randn(N, L, E)
    bias = torch.randn(N, L, L)
    kpm = torch.zeros(N, L, dtype=torch.bool); kpm[2, -1] = True
    bias2 = bias.clone(); bias2[1:] = torch.randn(N - 1, L, L) * 5  # change the other samples' bias only
    m.eval()
    with torch.no_grad():
        a, b = m(x, bias, kpm)[0], m(x, bias2, kpm)[0]
    print("sample-0 change when other samples' bias changes:", (a - b).abs().max().item())
