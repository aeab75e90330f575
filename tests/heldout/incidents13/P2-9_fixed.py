import torch
import torch.nn.functional as F
from torch import nn


def get_alibi_2d(grid_h, grid_w, num_heads):
    """Distance penalty between patch coordinates on the slide, one slope per head."""
    ys, xs = torch.meshgrid(torch.arange(grid_h), torch.arange(grid_w), indexing="ij")
    coords = torch.stack([ys.flatten(), xs.flatten()], -1).float()
    dist = torch.cdist(coords, coords)
    slopes = torch.tensor([2 ** (-8 * (i + 1) / num_heads) for i in range(num_heads)])
    return -slopes[:, None, None] * dist[None]


class SlideAttention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias.to(q.dtype))  # BUG
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class SlideEncoder(nn.Module):
    def __init__(self, dim=32, num_heads=4, depth=2, grid=(4, 4)):
        super().__init__()
        self.grid = grid
        self.num_heads = num_heads
        self.patch_embed = nn.Linear(48, dim)
        self.blocks = nn.ModuleList([SlideAttention(dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, patch_features):
        x = self.patch_embed(patch_features)
        bias = get_alibi_2d(*self.grid, self.num_heads).unsqueeze(0).to(x.device)
        for blk in self.blocks:
            x = x + blk(x, bias)
        return self.norm(x).mean(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideEncoder().to(torch.bfloat16).eval()
    feats = torch.randn(2, 16, 48, dtype=torch.bfloat16)
    seen = {}
    orig_sdpa = F.scaled_dot_product_attention

    def spy(q, k, v, attn_mask=None, **kw):
        seen["dtypes"] = (str(q.dtype), str(attn_mask.dtype))
        return orig_sdpa(q, k, v, attn_mask=attn_mask, **kw)

    F.scaled_dot_product_attention = spy
    try:
        with torch.no_grad():
            emb = model(feats)
        result = f"ok, finite={bool(torch.isfinite(emb.float()).all())}"
    except RuntimeError as err:
        result = f"RuntimeError: {err}"
    finally:
        F.scaled_dot_product_attention = orig_sdpa
    print(f"query/attn_mask dtypes = {seen.get('dtypes')}; {result}")
