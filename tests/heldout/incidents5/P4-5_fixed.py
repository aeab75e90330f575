"""Autoregressive feature predictor built from TransformerEncoderLayer (config-driven)."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class PredictorArgs:
    d_in: int = 8
    d_model: int = 32
    nhead: int = 4
    num_layers: int = 2
    causal: bool = True
    dropout: float = 0.0


class FramePredictor(nn.Module):
    def __init__(self, args: PredictorArgs):
        super().__init__()
        self.args = args
        self.inp = nn.Linear(args.d_in, args.d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(args.d_model, args.nhead, 4 * args.d_model, args.dropout, batch_first=True)
            for _ in range(args.num_layers)
        )
        self.out = nn.Linear(args.d_model, args.d_in)

    def forward(self, frames):
        h = self.inp(frames)
        mask = None
        if self.args.causal:
            mask = nn.Transformer.generate_square_subsequent_mask(frames.shape[1], device=frames.device)
        for layer in self.layers:
            h = layer(h, src_mask=mask, is_causal=self.args.causal)
        return self.out(h)


def rollout(model, context, horizon):
    frames = context
    for step in range(horizon):
        nxt = model(frames)[:, -1:]
        frames = torch.cat([frames, nxt], dim=1)
    return frames[:, context.shape[1]:]


if __name__ == "__main__":
    torch.manual_seed(0)
    args = PredictorArgs()
    model = FramePredictor(args).eval()
    x = torch.randn(2, 10, args.d_in)
    x2 = x.clone()
    x2[:, 5:] += 1.0
    with torch.no_grad():
        print("causal:", torch.allclose(model(x)[:, :5], model(x2)[:, :5], atol=1e-5))
        print(rollout(model, x, 3).shape)
