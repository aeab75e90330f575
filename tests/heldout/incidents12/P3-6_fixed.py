import torch
import torch.nn.functional as F
from torch import nn


class AttentionPool(nn.Module):
    def __init__(self, embed_dim=16, num_heads=4):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.query = nn.Parameter(torch.randn(1, 1, embed_dim))
        self.in_proj_weight = nn.Parameter(torch.randn(3 * embed_dim, embed_dim) * embed_dim ** -0.5)
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, x, lengths):
        seq_len, batch_size, _ = x.shape
        key_padding_mask = torch.arange(seq_len)[None, :] >= lengths[:, None]
        query = self.query.expand(1, batch_size, -1)
        out, _ = F.multi_head_attention_forward(
            query, x, x, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias, None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=False,
        )
        return out[0]


if __name__ == "__main__":
    torch.manual_seed(0)
    pool = AttentionPool().eval()
    frames = torch.randn(20, 6, 16)
    lengths = torch.tensor([20, 17, 12, 9, 5, 2])
    noisy = frames.clone()
    noisy[torch.arange(20)[:, None] >= lengths[None, :]] = 3.0
    try:
        with torch.no_grad():
            d = (pool(frames, lengths) - pool(noisy, lengths)).abs().max().item()
        print(f"ok: pooled change when padded frames change = {d:.4f}")
    except (AssertionError, RuntimeError) as e:
        print(f"{type(e).__name__}: {e}")
