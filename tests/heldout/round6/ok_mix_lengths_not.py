"""Lengths to masks with a sequence_mask helper (True = valid), negated for torch's padding mask."""
import torch
import torch.nn as nn


def sequence_mask(lengths: torch.Tensor, maxlen: int | None = None) -> torch.Tensor:
    maxlen = maxlen or int(lengths.max())
    return torch.arange(maxlen, device=lengths.device)[None, :] < lengths[:, None]


class UtteranceEncoder(nn.Module):
    def __init__(self, n_mels=16, d=32, nhead=4):
        super().__init__()
        self.front = nn.Linear(n_mels, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 2)

    def forward(self, feats, lengths):
        valid = sequence_mask(lengths, feats.size(1))
        h = self.enc(self.front(feats), src_key_padding_mask=valid.logical_not())
        w = valid.unsqueeze(-1).to(h.dtype)
        return (h.nan_to_num() * w).sum(1) / w.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = UtteranceEncoder()
    feats = torch.randn(2, 7, 16)
    for mode in (m.train, m.eval):
        mode()
        with torch.no_grad():
            a = m(feats, torch.tensor([4, 7]))
            b = m(feats[:1, :4], torch.tensor([4]))
        assert torch.allclose(a[0], b[0], atol=1e-5)
    print("lengths ok")
