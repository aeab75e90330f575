"""Session recommender with per-user 3D masks (causal + left padding) for nn.MultiheadAttention."""
import torch
import torch.nn as nn


class SessionEncoder(nn.Module):
    def __init__(self, n_items=40, d=32, n_heads=4, max_len=8):
        super().__init__()
        self.n_heads = n_heads
        self.item = nn.Embedding(n_items, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.MultiheadAttention(d, n_heads, batch_first=True)

    def forward(self, items, lengths):
        B, L = items.shape
        x = self.item(items) + self.pos(torch.arange(L))
        pad = torch.arange(L)[None, :] < (L - lengths)[:, None]           # left padding
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
        eye = torch.eye(L, dtype=torch.bool)
        block = causal[None] | (pad[:, None, :] & ~eye)                    # (B, L, L), True = blocked
        out, _ = self.attn(x, x, x,
                           attn_mask=block.repeat(self.n_heads, 1, 1))  # expect: ML302
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SessionEncoder().eval()
    items = torch.randint(0, 40, (3, 8))
    lengths = torch.tensor([3, 8, 5])
    with torch.no_grad():
        batched = enc(items, lengths)
        single = torch.cat([enc(items[i:i + 1], lengths[i:i + 1]) for i in range(3)])
    print("FAILURE SHOWN: batched != per-user result, max diff",
          f"{(batched - single).abs().max().item():.3g}")
