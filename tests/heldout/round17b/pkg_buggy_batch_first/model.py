"""Causal transformer over successive ADS-B reports of one aircraft."""
import torch
from torch import nn

from . import config


class TrackPredictor(nn.Module):
    def __init__(self):
        super().__init__()
        n_feat = len(config.REPORT_FEATURES)
        self.inp = nn.Linear(n_feat, config.D_MODEL)
        layer = nn.TransformerEncoderLayer(config.D_MODEL, config.N_HEADS, 4 * config.D_MODEL,
                                           dropout=0.0, batch_first=config.BATCH_FIRST)
        self.encoder = nn.TransformerEncoder(layer, config.N_LAYERS, enable_nested_tensor=False)
        self.out = nn.Linear(config.D_MODEL, n_feat)

    @staticmethod
    def causal(steps, device):
        return torch.triu(torch.full((steps, steps), float("-inf"), device=device), diagonal=1)

    def forward(self, tracks):
        steps = len(tracks)  # expect: ML303
        mask = self.causal(steps, tracks.device)
        return tracks + self.out(self.encoder(self.inp(tracks), mask=mask))


def train_epoch(model, batches, opt):
    for tracks in batches:
        pred = model(tracks[:, :-1])
        loss = nn.functional.mse_loss(pred, tracks[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TrackPredictor()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    batches = [torch.randn(16, 21, 6).cumsum(1) * 0.05 for _ in range(4)]
    print(config.describe(), train_epoch(model, batches, opt))
