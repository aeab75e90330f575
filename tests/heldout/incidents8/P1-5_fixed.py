import torch
from torch import nn


class _Transpose(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, num_heads, drop_prob=0.0, forward_expansion=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, num_heads, dropout=drop_prob, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, forward_expansion * emb_size),
            nn.GELU(),
            nn.Dropout(drop_prob),
            nn.Linear(forward_expansion * emb_size, emb_size),
        )

    def forward(self, x, mask=None):
        h = self.norm1(x)
        att, _ = self.attention(h, h, h, key_padding_mask=mask, need_weights=False)
        x = x + att
        return x + self.ff(self.norm2(x))


class EEGConformerLike(nn.Module):
    """Patch embedding + transformer over time, masks are True for valid windows."""

    def __init__(self, n_chans=8, n_outputs=3, emb_size=40, att_depth=2, att_heads=4):
        super().__init__()
        self.patch = nn.Sequential(
            nn.Conv1d(n_chans, emb_size, kernel_size=25, stride=25),
            _Transpose(),
        )
        self.blocks = nn.ModuleList([_TransformerEncoderBlock(emb_size, att_heads) for _ in range(att_depth)])
        self.head = nn.Linear(emb_size, n_outputs)

    def forward(self, x, mask=None):
        x = self.patch(x)
        for blk in self.blocks:
            x = blk(x, mask=~mask if mask is not None else None)
        if mask is not None:
            x = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        else:
            x = x.mean(1)
        return self.head(x)


if __name__ == "__main__":
    model = EEGConformerLike()
    x = torch.randn(2, 8, 250)
    valid = torch.ones(2, 10, dtype=torch.bool)
    valid[1, 7:] = False
    print(model(x, mask=valid).shape)
