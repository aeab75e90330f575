"""DETR-style detector encoder: flattened backbone features, sequence-first layout,
with a pixel padding mask for images of different sizes in the batch."""
import torch
import torch.nn as nn


class DETREncoder(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.input_proj = nn.Conv2d(16, d, 1)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, feats, pixel_pad):
        # feats: (N, C, H, W); pixel_pad: (N, H, W) True = padded pixel
        src = self.input_proj(feats)
        N, C, H, W = src.shape
        src = src.flatten(2).permute(2, 0, 1)          # (HW, N, C)
        pad = pixel_pad.flatten(1).permute(1, 0)       # (HW, N)
        memory = self.encoder(src,
                              src_key_padding_mask=pad)  # expect: ML304
        return memory


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = DETREncoder()
    feats = torch.randn(2, 16, 4, 5)
    pixel_pad = torch.zeros(2, 4, 5, dtype=torch.bool)
    pixel_pad[1, :, 3:] = True
    try:
        enc(feats, pixel_pad)
        print("ran")
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", str(e)[:100])
