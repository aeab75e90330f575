import torch
from torch import nn


def make_valid_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """Return a (batch, time) bool mask, True for real (non-padded) time steps."""
    steps = torch.arange(max_len, device=lengths.device)[None, :]
    return steps < lengths[:, None]


class EEGTransformerBlock(nn.Module):
    def __init__(self, emb_size: int = 40, num_heads: int = 10, drop_prob: float = 0.5):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, num_heads, dropout=drop_prob, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, 4 * emb_size),
            nn.GELU(),
            nn.Dropout(drop_prob),
            nn.Linear(4 * emb_size, emb_size),
        )

    def forward(self, x: torch.Tensor, mask: torch.Tensor = None) -> torch.Tensor:
        # mask: True = keep (convention of the previous hand-written attention)
        h = self.norm1(x)
        kpm = None if mask is None else ~mask
        h, _ = self.attention(h, h, h, key_padding_mask=kpm, need_weights=False)
        x = x + h
        return x + self.ff(self.norm2(x))


class EEGConformerEncoder(nn.Module):
    def __init__(self, n_chans: int = 22, emb_size: int = 40, depth: int = 6, num_heads: int = 10):
        super().__init__()
        self.patch = nn.Conv1d(n_chans, emb_size, kernel_size=25, stride=15)
        self.blocks = nn.ModuleList(
            [EEGTransformerBlock(emb_size, num_heads) for _ in range(depth)]
        )

    def forward(self, x: torch.Tensor, n_times: torch.Tensor) -> torch.Tensor:
        x = self.patch(x).transpose(1, 2)
        n_tokens = (n_times - 25) // 15 + 1
        mask = make_valid_mask(n_tokens, x.shape[1])
        for block in self.blocks:
            x = block(x, mask)
        return x


if __name__ == "__main__":
    model = EEGConformerEncoder()
    eeg = torch.randn(4, 22, 1000)
    lengths = torch.tensor([1000, 1000, 700, 550])
    print(model(eeg, lengths).shape)
