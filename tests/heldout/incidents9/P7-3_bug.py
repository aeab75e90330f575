import torch
import torch.nn as nn


def bucketed_attn_mask(seq_len, bucket=2):
    """Bool (L, L), True = blocked: each position sees itself and the previous bucket-1 positions."""
    i = torch.arange(seq_len)
    return ~((i[:, None] >= i[None, :]) & (i[:, None] - i[None, :] < bucket))


class LocalAttentionLayer(nn.Module):
    def __init__(self, embed_dim=4, num_heads=1, bucket=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads)
        self.bucket = bucket

    def forward(self, x, key_padding_mask):
        # x: (L, N, E), key_padding_mask: (N, L) True = padding
        attn_mask = bucketed_attn_mask(x.size(0), self.bucket)
        out, _ = self.attn(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask)  # BUG
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = LocalAttentionLayer()
    x = torch.rand(4, 2, 4)
    key_padding_mask = torch.tensor([[False, False, False, False],
                                     [False, False, True, True]])
    out = layer(x, key_padding_mask)
    loss = out[:2].sum()  # only use the non-padded positions
    loss.backward()
    print("nan in output:", torch.isnan(out).any().item())
    print("nan in in_proj grad:", torch.isnan(layer.attn.in_proj_weight.grad).any().item())
