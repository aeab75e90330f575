import torch
from torch import nn

from .config import MaskKind, NowcastConfig
from .layers import FrameBlock
from .masks import frame_mask


class Nowcaster(nn.Module):
    """Predicts the next scan's patch embedding from the scans so far."""

    def __init__(self, cfg: NowcastConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Linear(cfg.patch_dim, cfg.dim)
        self.blocks = nn.ModuleList(FrameBlock(cfg.dim, cfg.heads) for _ in range(cfg.depth))
        self.head = nn.Linear(cfg.dim, cfg.patch_dim)

    def forward(self, scans):
        vis = frame_mask(self.cfg.mask_kind, scans.size(1), self.cfg.window)
        if vis is not None:
            vis = vis.to(scans.device)
        h = self.embed(scans)
        for blk in self.blocks:
            h = blk(h, vis)
        return self.head(h)


def main():
    torch.manual_seed(0)
    cfg = NowcastConfig(mask_kind=MaskKind.CAUSAL)
    model = Nowcaster(cfg)
    scans = torch.randn(2, 10, cfg.patch_dim)
    pred = model(scans[:, :-1])
    loss = nn.functional.mse_loss(pred, scans[:, 1:])
    loss.backward()
    print("nowcast mse", round(loss.item(), 4))
