"""OCR text-line recogniser: CNN column features -> transformer encoder -> CTC head."""
import torch
import torch.nn as nn


class LineRecognizer(nn.Module):
    def __init__(self, n_chars=60, d=32):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, d, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, None)))
        self.ctx = nn.TransformerEncoderLayer(d, 4, dim_feedforward=64, dropout=0.0)  # expect: ML305
        self.ctc = nn.Linear(d, n_chars + 1)

    def forward(self, line_img):
        cols = self.cnn(line_img).squeeze(2).transpose(1, 2)   # (N, W, d)
        cols = self.ctx(cols)
        return self.ctc(cols).log_softmax(-1)                   # (N, W, C) for CTC


if __name__ == "__main__":
    torch.manual_seed(0)
    rec = LineRecognizer().eval()
    imgs = torch.randn(3, 1, 8, 24)
    with torch.no_grad():
        a = rec(imgs)
        imgs2 = imgs.clone()
        imgs2[2] = torch.randn(1, 8, 24)
        b = rec(imgs2)
    print("FAILURE SHOWN: line 0 changes when line 2 changes, diff",
          f"{(a[0] - b[0]).abs().max().item():.3g}")
