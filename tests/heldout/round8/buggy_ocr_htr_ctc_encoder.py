"""Handwritten text recognition: line images of different widths are right
padded, cut into non-overlapping vertical strips, and encoded by a transformer
(SDPA attention) before a CTC head."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pad_lines(images, stride):
    """images: list of (1, H, W_i) tensors -> (B, 1, H, W_max), strip lengths."""
    H = images[0].shape[1]
    W = max(im.shape[-1] for im in images)
    W = (W + stride - 1) // stride * stride
    out = torch.ones(len(images), 1, H, W)  # white background
    for i, im in enumerate(images):
        out[i, :, :, : im.shape[-1]] = im
    lengths = torch.tensor([(im.shape[-1] + stride - 1) // stride for im in images])
    return out, lengths


class StripAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, lengths):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        frame_valid = torch.arange(S, device=x.device)[None, :] < lengths[:, None]
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=frame_valid[:, None, None, :].to(q.dtype),  # expect: ML202
        )
        return self.o(y.transpose(1, 2).reshape(B, S, D))


class HTREncoder(nn.Module):
    def __init__(self, height=32, stride=4, dim=64, heads=4, layers=2, charset=80):
        super().__init__()
        self.stride = stride
        self.embed = nn.Linear(height * stride, dim)
        self.pos = nn.Parameter(torch.randn(1, 512, dim) * 0.02)
        self.attn = nn.ModuleList(StripAttention(dim, heads) for _ in range(layers))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
            for _ in range(layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.ctc = nn.Linear(dim, charset + 1)

    def forward(self, images, lengths):
        B, _, H, W = images.shape
        strips = images.unfold(3, self.stride, self.stride)  # (B, 1, H, S, stride)
        strips = strips.permute(0, 3, 1, 2, 4).reshape(B, W // self.stride, -1)
        x = self.embed(strips) + self.pos[:, : strips.size(1)]
        for attn, ff, ln in zip(self.attn, self.ff, self.norms):
            x = x + attn(ln(x), lengths)
            x = x + ff(x)
        return self.ctc(x).log_softmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HTREncoder().eval()
    lines = [torch.rand(1, 32, 120), torch.rand(1, 32, 64)]
    images, lengths = pad_lines(lines, 4)
    with torch.no_grad():
        a = model(images, lengths)
        images2 = images.clone()
        images2[1, :, :, 64:] = 0.0  # black instead of white background in the padded area
        b = model(images2, lengths)
    d = (a[1, : lengths[1]] - b[1, : lengths[1]]).abs().max().item()
    print("CTC log-probs of valid strips change with padding pixels:", d)
    assert d > 1e-4
    print("FAILURE SHOWN: padded strips are attended")
