import torch
import torch.nn.functional as F

from .net import ProgressionNet
from .vocab import N_CHORDS, START


def fit(songs, epochs=3):
    net = ProgressionNet()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    batch = torch.cat([torch.full((songs.size(0), 1), START), songs], dim=1)
    for _ in range(epochs):
        logits = net(batch[:, :-1], autoregressive=True)
        loss = F.cross_entropy(logits.reshape(-1, N_CHORDS), batch[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net
