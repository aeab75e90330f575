"""Moment retrieval encoder: per-video pair masks tiled over heads in the b*H+h order."""
import torch
import torch.nn as nn


def pair_block_mask(valid: torch.Tensor) -> torch.Tensor:
    L = valid.size(1)
    blocked = ~(valid[:, :, None] & valid[:, None, :])
    return blocked & ~torch.eye(L, dtype=torch.bool, device=valid.device)


class ClipEncoder(nn.Module):
    def __init__(self, d=64, nhead=4, layers=2):
        super().__init__()
        self.nhead = nhead
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, nhead, batch_first=True) for _ in range(layers))

    def forward(self, feats, valid):
        mask = pair_block_mask(valid).repeat_interleave(self.nhead, dim=0)
        x = feats
        for attn in self.attn:
            x = x + attn(x, x, x, attn_mask=mask, need_weights=False)[0]
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = ClipEncoder().eval()
    valid = torch.tensor([[1] * 6, [1] * 3 + [0] * 3], dtype=torch.bool)
    f = torch.randn(2, 6, 64)
    with torch.no_grad():
        y = enc(f, valid)
        f2 = f.clone(); f2[1, 4] = torch.randn(64)
        y2 = enc(f2, valid)
    print("no leak:", torch.allclose(y[1, :3], y2[1, :3], atol=1e-5))
