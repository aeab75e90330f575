import torch
import torch.nn as nn

from .layers import DecoderLayer, EncoderLayer, stack
from .masks import lower_triangular

EDGE_TYPES = ("pad", "start", "line", "curve", "dart", "notch", "close")
MEASUREMENTS = ("bust", "waist", "hip", "back_length", "shoulder", "arm_length", "inseam")


class PanelOutlineModel(nn.Module):
    """Draws a panel outline edge by edge, conditioned on body measurements."""

    def __init__(self, dim=64, heads=4, layers=2, coord_bins=128):
        super().__init__()
        self.measure_value = nn.Linear(1, dim)
        self.measure_name = nn.Embedding(len(MEASUREMENTS), dim)
        self.edge = nn.Embedding(len(EDGE_TYPES), dim)
        self.dx = nn.Embedding(coord_bins, dim)
        self.dy = nn.Embedding(coord_bins, dim)
        self.step = nn.Embedding(256, dim)
        self.encoder = stack(EncoderLayer(dim, heads), layers, dim, "encoder")
        self.decoder = stack(DecoderLayer(dim, heads), layers, dim, "decoder")
        self.next_edge = nn.Linear(dim, len(EDGE_TYPES))
        self.next_xy = nn.Linear(dim, 2 * coord_bins)

    def forward(self, measurements_cm, edge, dx, dy):
        names = torch.arange(len(MEASUREMENTS), device=edge.device)
        memory = self.encoder(self.measure_value(measurements_cm[..., None] / 100.0)
                              + self.measure_name(names))
        t = edge.size(1)
        tgt = self.edge(edge) + self.dx(dx) + self.dy(dy) + self.step(torch.arange(t, device=edge.device))
        drawn = lower_triangular(t, edge.device)
        h = self.decoder(tgt, memory, tgt_mask=drawn)  # expect: ML101
        return self.next_edge(h), self.next_xy(h).unflatten(-1, (2, -1))
