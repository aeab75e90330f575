import torch
import torch.nn as nn


class DistanceBiasedAttention(nn.Module):
    """Self-attention over atoms; each molecule contributes its own additive distance bias."""

    def __init__(self, embed_dim=8, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.m = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, batch_first=True)

    def forward(self, x, coords, key_padding_mask):
        N, L, _ = x.shape
        dist = torch.cdist(coords, coords)  # (N, L, L)
        bias = -dist  # closer atoms get more attention
        attn_mask = bias.repeat(self.m.num_heads, 1, 1)  # BUG
        key_padding_mask = torch.zeros_like(bias[:, 0]).masked_fill(key_padding_mask, float("-inf"))
        ao, _ = self.m(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask)
        return ao


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = DistanceBiasedAttention()
    N, L, E = 2, 8, 8
    x = torch.randn(N, L, E)
    coords = torch.randn(N, L, 3) * torch.tensor([[[1.0]], [[5.0]]])
    kpm = torch.zeros(N, L, dtype=torch.bool)
    kpm[1, 6:] = True

    layer.train()
    train_out = layer(x, coords, kpm)
    layer.eval()
    with torch.no_grad():
        eval_out = layer(x, coords, kpm)
        alone = layer(x[:1], coords[:1], kpm[:1])
    print(train_out.shape, eval_out.shape)
    print("molecule 0, batched vs alone:", (eval_out[0] - alone[0]).abs().max().item())
