"""Long-document encoder with local (banded) attention, built from stock encoder layers."""
import torch
import torch.nn as nn


class LocalConfig:
    d_model = 128
    nhead = 4
    window = 8
    depth = 2
    causal = True  # set by the fine-tuning recipe for the streaming variant


def band_mask(T: int, window: int, device=None) -> torch.Tensor:
    i = torch.arange(T, device=device)
    return (i[:, None] - i[None, :]).abs() > window  # True = outside the band


class LocalEncoder(nn.Module):
    def __init__(self, cfg=LocalConfig):
        super().__init__()
        self.cfg = cfg
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 4 * cfg.d_model, batch_first=True)
            for _ in range(cfg.depth)
        )

    def forward(self, x):
        mask = band_mask(x.size(1), self.cfg.window, x.device)
        for layer in self.layers:
            x = layer(  # expect: ML402
                x,
                src_mask=mask,
                is_causal=self.cfg.causal,
            )
        return x


if __name__ == "__main__":
    enc = LocalEncoder()
    x = torch.randn(2, 32, 128)
    print(enc(x).shape)
