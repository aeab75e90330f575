import torch.nn as nn
import torch.nn.functional as F


class ConformerLiteBlock(nn.Module):
    def __init__(self, dim, heads, kernel=5):
        super().__init__()
        self.heads = heads
        self.norm_attn = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm_conv = nn.LayerNorm(dim)
        self.depthwise = nn.Conv1d(dim, dim, kernel, groups=dim)
        self.kernel = kernel

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm_attn(x)).reshape(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.unsqueeze(1))  # expect: ML102
        x = x + self.proj(a.transpose(1, 2).reshape(b, t, d))
        c = self.norm_conv(x).transpose(1, 2)
        c = self.depthwise(F.pad(c, (self.kernel - 1, 0)))
        return x + c.transpose(1, 2)
