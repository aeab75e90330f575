import torch
from torch import nn

from .layers import SocialLayer
from .masks import neighbourhood


class FleetForecaster(nn.Module):
    def __init__(self, history: int = 8, horizon: int = 6, dim: int = 32, heads: int = 4, radius: float = 3.0):
        super().__init__()
        self.radius, self.horizon = radius, horizon
        self.track = nn.GRU(2, dim, batch_first=True)
        self.social = nn.ModuleList([SocialLayer(dim, heads), SocialLayer(dim, heads)])
        self.decode = nn.Linear(dim, horizon * 2)

    def forward(self, tracks: torch.Tensor, present: torch.Tensor) -> torch.Tensor:
        """tracks (N, A, T, 2) -> future offsets (N, A, horizon, 2)."""
        n, a, t, _ = tracks.shape
        _, h = self.track(tracks.reshape(n * a, t, 2))
        agents = h[-1].view(n, a, -1)
        hidden = neighbourhood(tracks[:, :, -1], present, self.radius)
        for layer in self.social:
            agents = layer(agents, hidden)
        return self.decode(agents).view(n, a, self.horizon, 2)


def main():
    from torch.func import functional_call

    torch.manual_seed(0)
    model = FleetForecaster()
    tracks = torch.cumsum(torch.randn(2, 5, 8, 2) * 0.3, dim=2) + torch.randn(2, 5, 1, 2) * 2
    present = torch.tensor([[True] * 5, [True, True, True, False, False]])
    future = torch.randn(2, 5, 6, 2)
    loss = ((model(tracks, present) - future) ** 2)[present].mean()
    loss.backward()
    ema = {k: v.detach() * 0.999 for k, v in model.named_parameters()}
    with torch.no_grad():
        pred = functional_call(model.eval(), ema, (tracks, present))
    print("ade-ish loss", round(loss.item(), 4), "ema forecast", tuple(pred.shape))
