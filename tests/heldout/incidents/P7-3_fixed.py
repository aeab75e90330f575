import torch
import torch.nn as nn


def local_attention_mask(seq_len, window, device=None):
    """Bool (L, L) mask, True = blocked: each position sees itself and the `window` previous positions."""
    idx = torch.arange(seq_len, device=device)
    dist = idx[:, None] - idx[None, :]
    return (dist < 0) | (dist > window)


class BucketedEncoderLayer(nn.Module):
    """Streaming encoder layer: limited left context, padded batches of utterances. Inputs are (L, N, E)."""

    def __init__(self, embed_dim=8, num_heads=2, window=1):
        super().__init__()
        self.window = window
        self.attn = nn.MultiheadAttention(embed_dim, num_heads)
        self.norm = nn.LayerNorm(embed_dim)
        self.proj = nn.Linear(embed_dim, 3)

    def forward(self, x, key_padding_mask):
        attn_mask = local_attention_mask(x.size(0), self.window, x.device)
        # merge window and padding, then re-open rows that would see no key at all (padded queries)
        merged = attn_mask[None] | key_padding_mask[:, None, :]
        merged = merged & ~merged.all(dim=-1, keepdim=True)
        merged = merged.repeat_interleave(self.attn.num_heads, dim=0)
        out, _ = self.attn(x, x, x, attn_mask=merged)
        return self.proj(self.norm(x + out))


def run():
    layer = BucketedEncoderLayer()
    x = torch.randn(5, 2, 8, requires_grad=True)
    key_padding_mask = torch.tensor([[False] * 5, [False] * 2 + [True] * 3])
    out = layer(x, key_padding_mask)
    valid = (~key_padding_mask).t().unsqueeze(-1)
    loss = out.masked_select(valid).sum()  # padded outputs are excluded from the loss
    loss.backward()
    return out
