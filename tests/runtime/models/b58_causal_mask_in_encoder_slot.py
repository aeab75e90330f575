"""Buggy: nn.Transformer called positionally with a causal mask as its third argument, which is
src_mask: the encoder becomes causal and the decoder (tgt_mask left empty) sees later targets."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Forecaster(nn.Module):
    def __init__(self, d=16, horizon=6):
        super().__init__()
        self.inp = nn.Linear(3, d)
        self.tgt_in = nn.Linear(1, d)
        self.net = nn.Transformer(d, 2, 1, 1, 32, dropout=0.1, batch_first=True)
        self.head = nn.Linear(d, 1)
        self.register_buffer("future", torch.triu(torch.full((horizon, horizon), float("-inf")), 1))

    def forward(self, history, targets):
        out = self.net(self.inp(history), self.tgt_in(targets), self.future)  # expect: ML501
        return self.head(out)


def run():
    torch.manual_seed(0)
    model = Forecaster().train()
    history, targets = torch.randn(2, 6, 3), torch.randn(2, 6, 1)
    loss = F.mse_loss(model(history, targets), targets)
    loss.backward()
    with torch.no_grad():
        pred = model.eval()(history, targets)
    return loss.detach(), pred
