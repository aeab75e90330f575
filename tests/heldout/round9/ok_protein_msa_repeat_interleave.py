"""MSA column attention with per-alignment masks: rows that are pure gap filler are
excluded. The per-sample (N, L, S) mask is expanded per head with repeat_interleave."""
import torch
import torch.nn as nn


class ColumnAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, cols, row_pad):
        # cols: (N, R, d) one column per alignment; row_pad: (N, R) True = filler row
        R = cols.size(1)
        eye = torch.eye(R, dtype=torch.bool)
        block = row_pad[:, None, :] & ~eye                         # (N, R, R) True = blocked
        out, _ = self.mha(cols, cols, cols, attn_mask=block.repeat_interleave(self.heads, dim=0))
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = ColumnAttention().eval()
    cols = torch.randn(3, 6, 32)
    row_pad = torch.zeros(3, 6, dtype=torch.bool)
    row_pad[0, 4:] = True
    row_pad[2, 2:] = True
    with torch.no_grad():
        batched = layer(cols, row_pad)
        single = torch.cat([layer(cols[i:i + 1], row_pad[i:i + 1]) for i in range(3)])
    assert torch.allclose(batched, single, atol=1e-5), "mask/head order mismatch"
    print("OK: batched result equals per-alignment result")
