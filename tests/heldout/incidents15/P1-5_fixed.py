import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, emb_size, num_heads, dropout=0.0):
        super().__init__()
        self.emb_size = emb_size
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(emb_size, num_heads, dropout=dropout, batch_first=True)

    def forward(self, x, mask=None):
        out, _ = self.mha(x, x, x, attn_mask=~mask if mask is not None else None, need_weights=False)  # BUG
        return out


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, att_heads, att_drop, forward_expansion=4):
        super().__init__()
        self.norm = nn.LayerNorm(emb_size)
        self.attention = MultiHeadAttention(emb_size, att_heads, att_drop)
        self.feed_forward = nn.Sequential(
            nn.LayerNorm(emb_size),
            nn.Linear(emb_size, forward_expansion * emb_size),
            nn.GELU(),
            nn.Linear(forward_expansion * emb_size, emb_size),
        )

    def forward(self, x, mask=None):
        x = x + self.attention(self.norm(x), mask=mask)
        return x + self.feed_forward(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = _TransformerEncoderBlock(emb_size=16, att_heads=4, att_drop=0.0).train()
    n_times = 6
    causal_keep = torch.tril(torch.ones(n_times, n_times, dtype=torch.bool))
    x = torch.randn(2, n_times, 16)
    out = block(x, mask=causal_keep)
    x2 = x.clone()
    x2[:, 3:] = torch.randn(2, n_times - 3, 16)
    out2 = block(x2, mask=causal_keep)
    print(f"future samples leak into steps 0-2: {(out[:, :3] - out2[:, :3]).abs().max().item():.4f}")
