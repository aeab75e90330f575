import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention used by the EEG transformer blocks.

    Now backed by ``nn.MultiheadAttention`` (it used to be a hand-written einsum
    implementation). ``mask`` keeps its historical meaning: a (T, T) boolean
    tensor marking which time steps each step may look at.
    """

    def __init__(self, emb_size, num_heads, dropout=0.0):
        super().__init__()
        self.emb_size = emb_size
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(emb_size, num_heads, dropout=dropout, batch_first=True)

    def forward(self, x, mask=None):
        out, _ = self.mha(x, x, x, attn_mask=mask, need_weights=False)  # BUG
        return out


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, num_heads, drop_p=0.0, forward_expansion=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attn = MultiHeadAttention(emb_size, num_heads, drop_p)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, forward_expansion * emb_size),
            nn.GELU(),
            nn.Linear(forward_expansion * emb_size, emb_size),
        )

    def forward(self, x, mask=None):
        x = x + self.attn(self.norm1(x), mask)
        return x + self.ff(self.norm2(x))


def local_window_mask(n_times, window):
    """Each time step may look at itself and the `window - 1` steps before it."""
    idx = torch.arange(n_times)
    dist = idx[:, None] - idx[None, :]
    return (dist >= 0) & (dist < window)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    block = _TransformerEncoderBlock(emb_size=16, num_heads=4).eval()
    x = torch.randn(3, 10, 16)  # (batch, time, emb)
    mask = local_window_mask(10, window=3)
    with torch.no_grad():
        out = block(x, mask)
        x2 = x.clone()
        x2[:, -1] = torch.randn(3, 16)  # perturb the last time step only
        out2 = block(x2, mask)
    print(out.shape)
    print("nan in output:", torch.isnan(out).any().item())
    print("change at t=0 after editing t=9:", (out2 - out)[:, 0].abs().max().item())
