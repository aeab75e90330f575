"""EEG transformer encoder block (port of a hand-written attention to nn.MultiheadAttention)."""
import torch
from torch import nn


class _TransformerBlock(nn.Module):
    """Pre-norm block. ``mask`` is (batch, n_times) with True on valid time samples."""

    def __init__(self, emb_size, num_heads, drop_prob=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, num_heads, dropout=drop_prob, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(nn.Linear(emb_size, 2 * emb_size), nn.GELU(), nn.Dropout(drop_prob), nn.Linear(2 * emb_size, emb_size))

    def forward(self, x, mask=None):
        h = self.norm1(x)
        key_padding_mask = None if mask is None else ~mask
        out, _ = self.attention(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)
        x = x + out
        return x + self.ff(self.norm2(x))


class EEGConformerLike(nn.Module):
    def __init__(self, n_chans=8, n_outputs=4, emb_size=40, num_heads=10, depth=2, drop_prob=0.1):
        super().__init__()
        self.patch = nn.Conv1d(n_chans, emb_size, kernel_size=5, stride=1, padding=2)
        self.blocks = nn.ModuleList([_TransformerBlock(emb_size, num_heads, drop_prob) for _ in range(depth)])
        self.head = nn.Linear(emb_size, n_outputs)

    def forward(self, x, mask=None):
        x = self.patch(x).transpose(1, 2)
        for blk in self.blocks:
            x = blk(x, mask)
        if mask is not None:
            x = (x * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
        else:
            x = x.mean(1)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = EEGConformerLike()
    x = torch.randn(3, 8, 50)
    lengths = torch.tensor([50, 42, 30])
    valid = torch.arange(50)[None, :] < lengths[:, None]
    out = model(x, valid)
    out.sum().backward()
    print(out.shape)
