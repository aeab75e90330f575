"""Keyword spotting on variable-length utterances; frames are kept time-major (T, N, F)."""
import torch
import torch.nn as nn


def frames_padding(lengths: torch.Tensor, T: int) -> torch.Tensor:
    """(N,) -> (T, N) bool, True = padded frame (time-major like the features)."""
    return torch.arange(T)[:, None] >= lengths[None, :]


class KWSModel(nn.Module):
    def __init__(self, n_mfcc=40, d=96, nhead=4, layers=2, n_keywords=35):
        super().__init__()
        self.proj = nn.Linear(n_mfcc, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 2 * d, 0.1), layers,
                                         enable_nested_tensor=False)
        self.out = nn.Linear(d, n_keywords)

    def forward(self, mfcc, lengths):  # mfcc: (T, N, F)
        pad_tn = frames_padding(lengths, mfcc.size(0))
        h = self.enc(self.proj(mfcc), src_key_padding_mask=pad_tn.T)  # API wants (N, T)
        keep = (~pad_tn).unsqueeze(-1).float()
        return self.out((h * keep).sum(0) / keep.sum(0))


if __name__ == "__main__":
    torch.manual_seed(0)
    mfcc = torch.randn(101, 6, 40)
    lengths = torch.tensor([101, 80, 64, 101, 50, 90])
    model = KWSModel()
    logits = model(mfcc, lengths)
    loss = nn.functional.cross_entropy(logits, torch.randint(0, 35, (6,)))
    loss.backward()
    print("kws loss", round(loss.item(), 4))
