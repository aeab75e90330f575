"""Online activity recognition: a bidirectional transformer encoder over a sliding window of IMU
frames. At inference, each new frame is appended to the window and the label of the newest frame
is the argmax at the last position. The window holds only past frames, so full attention inside
it is correct; the picked label is never fed back."""
import torch
import torch.nn as nn


class ActivityEncoder(nn.Module):
    def __init__(self, n_feats=6, d=64, h=4, n=2, n_classes=12):
        super().__init__()
        self.inp = nn.Linear(n_feats, d)
        layer = nn.TransformerEncoderLayer(d, h, 2 * d, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, n)
        self.cls = nn.Linear(d, n_classes)

    def forward(self, frames):
        return self.cls(self.enc(self.inp(frames)))


@torch.no_grad()
def run_stream(model, stream, window=128):
    buf = torch.zeros(1, 0, 6)
    labels = []
    for frame in stream:
        buf = torch.cat([buf, frame.view(1, 1, 6)], dim=1)
        buf = buf[:, -window:]
        logits = model(buf)
        labels.append(logits[:, -1].argmax(-1).item())
    return labels
