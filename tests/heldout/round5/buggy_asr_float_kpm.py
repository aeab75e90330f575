"""Speech recognition encoder (CTC head) for 16 kHz log-mel features."""
import torch
import torch.nn as nn
import torch.nn.functional as F


@torch.jit.script
def make_pad_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    seq = torch.arange(max_len, device=lengths.device)
    return (seq.unsqueeze(0) >= lengths.unsqueeze(1)).float()


class Subsample4(nn.Module):
    def __init__(self, n_mels, d):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, d, 3, 2), nn.ReLU(), nn.Conv2d(d, d, 3, 2), nn.ReLU())
        self.lin = nn.Linear(d * (((n_mels - 1) // 2 - 1) // 2), d)

    def forward(self, x, lengths):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.shape
        lengths = ((lengths - 1) // 2 - 1) // 2
        return self.lin(x.transpose(1, 2).reshape(b, t, c * f)), lengths


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=80, d=144, heads=4, layers=4, vocab=32):
        super().__init__()
        self.sub = Subsample4(n_mels, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.ctc = nn.Linear(d, vocab)

    def forward(self, feats, feat_lens):
        x, lens = self.sub(feats, feat_lens)
        pad = make_pad_mask(lens, x.size(1))
        for attn, norm in zip(self.attn, self.norms):
            h = norm(x)
            x = x + attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]  # expect: ML201
        return F.log_softmax(self.ctc(x), -1), lens


if __name__ == "__main__":
    enc = CTCEncoder()
    feats = torch.randn(3, 200, 80)
    lp, lens = enc(feats, torch.tensor([200, 150, 90]))
    targets = torch.randint(1, 32, (3, 20))
    loss = F.ctc_loss(lp.transpose(0, 1), targets, lens, torch.tensor([20, 15, 10]))
    print(loss.item())
