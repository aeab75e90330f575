# EXPECT: bug
"""Protein-property regressor.  The padding mask has the right polarity
(1.0 = padding) but is float: in training nn.TransformerEncoderLayer adds it to
the logits (+1 on padding, nothing masked); in eval the fast path turns it
into a bool.  Training silently attends padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AMINO = 21  # 20 residues + padding
PAD = 20


class Regressor(nn.Module):
    def __init__(self, d=32, nhead=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(AMINO, d)
        self.layer1 = nn.TransformerEncoderLayer(d, nhead, 48, dropout, batch_first=True)
        self.layer2 = nn.TransformerEncoderLayer(d, nhead, 48, dropout, batch_first=True)
        self.out = nn.Linear(d, 1)

    def padding_mask(self, seq):
        return (seq == PAD).float()

    def forward(self, seq):
        kpm = self.padding_mask(seq)
        h = self.embed(seq)
        h = self.layer1(h, src_key_padding_mask=kpm)  # BUG-SITE
        h = self.layer2(h, src_key_padding_mask=kpm.bool())
        keep = (seq != PAD).unsqueeze(-1).float()
        return self.out((h * keep).sum(1) / keep.sum(1)).squeeze(-1)


def make_batch(gen):
    lens = [12, 7, 12, 3, 10]
    seq = torch.full((len(lens), 12), PAD)
    for i, n in enumerate(lens):
        seq[i, :n] = torch.randint(0, 20, (n,), generator=gen)
    return seq, torch.randn(len(lens), generator=gen)


def run():
    torch.manual_seed(4)
    seq, y = make_batch(torch.Generator().manual_seed(11))
    model = Regressor()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    pred = model(seq)
    loss = F.mse_loss(pred, y)
    opt.zero_grad()
    loss.backward()
    g = model.embed.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(seq)
    return [loss.detach(), g, ev]
