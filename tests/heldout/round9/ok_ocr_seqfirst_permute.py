"""OCR line recogniser with a sequence-first encoder layer (no batch_first): the column
features are permuted to (W, N, d) before the layer and back afterwards."""
import torch
import torch.nn as nn


class LineRecognizer(nn.Module):
    def __init__(self, n_chars=60, d=32):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, d, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, None)))
        self.ctx = nn.TransformerEncoderLayer(d, 4, dim_feedforward=64, dropout=0.0)
        self.ctc = nn.Linear(d, n_chars + 1)

    def forward(self, img):
        cols = self.cnn(img).squeeze(2).permute(2, 0, 1)    # (W, N, d)
        cols = self.ctx(cols).permute(1, 0, 2)               # back to (N, W, d)
        return self.ctc(cols).log_softmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    rec = LineRecognizer().eval()
    imgs = torch.randn(3, 1, 8, 24)
    with torch.no_grad():
        a = rec(imgs)
        imgs2 = imgs.clone()
        imgs2[2] = torch.randn(1, 8, 24)
        b = rec(imgs2)
    assert a.shape == (3, 24, 61)
    assert torch.allclose(a[0], b[0], atol=1e-5), "batch mixing"
    print("OK: lines in a batch do not influence each other")
