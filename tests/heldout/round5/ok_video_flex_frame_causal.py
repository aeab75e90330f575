"""Video world model: tokens attend within their frame and to earlier frames (FlexAttention)."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

TOKENS_PER_FRAME = 16


def frame_causal(b, h, q_idx, kv_idx):
    return (q_idx // TOKENS_PER_FRAME) >= (kv_idx // TOKENS_PER_FRAME)


class WorldModelAttention(nn.Module):
    def __init__(self, d=64, heads=4, n_frames=8):
        super().__init__()
        self.h = heads
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        n = n_frames * TOKENS_PER_FRAME
        self.block_mask = create_block_mask(frame_causal, None, None, n, n, device="cpu")

    def forward(self, x):
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return self.o(flex_attention(q, k, v, block_mask=self.block_mask).transpose(1, 2).reshape(B, N, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = WorldModelAttention()
    x = torch.randn(1, 128, 64)
    with torch.no_grad():
        y = m(x)
        x2 = x.clone(); x2[:, 100:] = torch.randn(1, 28, 64)
        print("earlier frames unaffected:", torch.allclose(y[:, :96], m(x2)[:, :96], atol=1e-5))
