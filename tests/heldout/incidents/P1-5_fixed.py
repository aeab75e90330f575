import torch
from torch import nn


def _keep_mask_causal(n_times, device=None):
    """Mask used by the original hand-written attention: True = position is kept."""
    return torch.tril(torch.ones(n_times, n_times, dtype=torch.bool, device=device))


class MultiHeadAttention(nn.Module):
    def __init__(self, emb_size, num_heads, dropout=0.0):
        super().__init__()
        self.emb_size = emb_size
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(emb_size, num_heads, dropout=dropout, batch_first=True)

    def forward(self, x, mask=None):
        # mask follows the former implementation: True means keep the value,
        # nn.MultiheadAttention expects True where attention is not allowed
        if mask is not None:
            mask = ~mask
        return self.mha(x, x, x, attn_mask=mask, need_weights=False)[0]


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, num_heads=2, drop_p=0.0, forward_expansion=2):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = MultiHeadAttention(emb_size, num_heads, drop_p)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, forward_expansion * emb_size),
            nn.GELU(),
            nn.Dropout(drop_p),
            nn.Linear(forward_expansion * emb_size, emb_size),
        )

    def forward(self, x, mask=None):
        x = x + self.attention(self.norm1(x), mask)
        return x + self.ff(self.norm2(x))


class CausalEEGEncoder(nn.Module):
    def __init__(self, n_chans, emb_size=8, num_heads=2, depth=2):
        super().__init__()
        self.patch = nn.Conv1d(n_chans, emb_size, kernel_size=1)
        self.blocks = nn.ModuleList([_TransformerEncoderBlock(emb_size, num_heads) for _ in range(depth)])

    def forward(self, x):
        # x: (batch, n_chans, n_times)
        x = self.patch(x).transpose(1, 2)
        mask = _keep_mask_causal(x.shape[1], device=x.device)
        for block in self.blocks:
            x = block(x, mask)
        return x


def run():
    model = CausalEEGEncoder(n_chans=3)
    x = torch.randn(2, 3, 5)
    return model(x)
