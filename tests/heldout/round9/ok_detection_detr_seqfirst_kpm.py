"""DETR encoder in the original sequence-first layout: src is (HW, N, C) and the pixel
padding mask stays (N, HW), as nn.TransformerEncoder expects."""
import torch
import torch.nn as nn


class DETREncoder(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.proj = nn.Conv2d(16, d, 1)
        layer = nn.TransformerEncoderLayer(d, heads, 64, dropout=0.0)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    def forward(self, feats, pixel_pad):
        src = self.proj(feats).flatten(2).permute(2, 0, 1)     # (HW, N, C)
        return self.enc(src, src_key_padding_mask=pixel_pad.flatten(1))   # mask (N, HW)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = DETREncoder().eval()
    feats = torch.randn(2, 16, 4, 5)
    pad = torch.zeros(2, 4, 5, dtype=torch.bool)
    pad[1, :, 3:] = True
    with torch.no_grad():
        a = enc(feats, pad)
        f2 = feats.clone()
        f2[1, :, :, 3:] = 9.0
        b = enc(f2, pad)
    keep = ~pad[1].flatten()
    assert torch.allclose(a[keep, 1], b[keep, 1], atol=1e-5), "padded pixels leaked"
    assert not torch.isnan(a[keep, 1]).any()
    print("OK: real pixels of image 1 ignore its padded region")
