"""Handwritten text-line recognition with a CTC head.

The data loader predates bool tensors and still returns the frame padding
mask as uint8 with 1 on padded frames; it is converted to bool (same
polarity) at the model boundary, because attention rejects uint8 masks.
"""
import torch
import torch.nn.functional as F
from torch import nn

CHARSET = "_ abcdefghijklmnopqrstuvwxyz'.,"          # "_" is the CTC blank


def legacy_frame_padding(widths: torch.Tensor, max_w: int) -> torch.Tensor:
    """(N,) frame counts -> (N, max_w) uint8, 1 from the first padded frame on."""
    marks = torch.zeros(len(widths), max_w + 1, dtype=torch.uint8)
    marks.scatter_(1, widths.unsqueeze(1), 1)
    return marks.cumsum(1)[:, :max_w].clamp(max=1).to(torch.uint8)


class LineRecognizer(nn.Module):
    def __init__(self, height=32, dim=64, heads=4, depth=2):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1)),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1)))
        self.to_seq = nn.Linear(32 * (height // 4), dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.ctc_head = nn.Linear(dim, len(CHARSET))

    def forward(self, images, frame_pad_u8):
        f = self.cnn(images)                                   # (N, C, H/4, W)
        x = self.to_seq(f.permute(0, 3, 1, 2).flatten(2))       # (N, W, dim)
        key_padding = frame_pad_u8.bool()
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, key_padding_mask=key_padding, need_weights=False)[0]
        return self.ctc_head(x).log_softmax(-1)


def encode_text(lines):
    targets = torch.cat([torch.tensor([CHARSET.index(c) for c in s]) for s in lines])
    return targets, torch.tensor([len(s) for s in lines])


if __name__ == "__main__":
    torch.manual_seed(0)
    widths = torch.tensor([48, 30, 40])
    images = torch.rand(3, 1, 32, 48) * (torch.arange(48) < widths[:, None, None, None])
    frame_pad = legacy_frame_padding(widths, 48)
    model = LineRecognizer()
    log_probs = model(images, frame_pad)
    targets, target_lens = encode_text(["the quick", "fox", "jumps over"])
    loss = F.ctc_loss(log_probs.transpose(0, 1), targets, widths, target_lens, blank=0, zero_infinity=True)
    loss.backward()
    print("ctc loss", round(loss.item(), 4), "padding frames", frame_pad.sum(1).tolist())
