import torch
import torch.nn as nn


class DistanceBiasedAttention(nn.Module):
    """Self-attention over atoms with a per-molecule additive bias from pairwise distances."""

    def __init__(self, d_model: int = 32, nhead: int = 4):
        super().__init__()
        self.nhead = nhead
        self.mha = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.gamma = nn.Parameter(torch.tensor(1.0))

    def forward(self, h, coords, atom_pad):
        # coords: (N, L, 3); atom_pad: (N, L) bool, True = padding atom
        bias = -self.gamma * torch.cdist(coords, coords)  # (N, L, L)
        attn_mask = bias.repeat(self.nhead, 1, 1)  # BUG
        out, _ = self.mha(h, h, h, attn_mask=attn_mask, key_padding_mask=atom_pad)  # BUG
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    N, L, D = 3, 5, 32
    h = torch.randn(N, L, D)
    coords = torch.randn(N, L, 3)
    atom_pad = torch.tensor([[False] * 5, [False] * 3 + [True] * 2, [False] * 4 + [True]])
    layer = DistanceBiasedAttention(D, nhead=4)
    train_out = layer(h, coords, atom_pad)
    layer.eval()
    with torch.no_grad():
        eval_out = layer(h, coords, atom_pad)
    print("train/eval max diff:", (train_out - eval_out).abs().max().item())
