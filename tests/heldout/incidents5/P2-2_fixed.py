"""Set encoder for variable-size point groups, configured through a dataclass."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class SetEncoderArgs:
    in_dim: int = 3
    d_model: int = 32
    nhead: int = 4
    num_layers: int = 2
    dim_feedforward: int = 64
    dropout: float = 0.0
    max_points: int = 16


class SetEncoder(nn.Module):
    def __init__(self, args: SetEncoderArgs):
        super().__init__()
        self.args = args
        self.embed = nn.Linear(args.in_dim, args.d_model)
        layer = nn.TransformerEncoderLayer(
            args.d_model, args.nhead, args.dim_feedforward, args.dropout, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, args.num_layers, enable_nested_tensor=False)

    def padding_mask(self, counts):
        b = counts.shape[0]
        mask = torch.zeros(b, self.args.max_points, dtype=torch.bool)
        for i, n in enumerate(counts.tolist()):
            mask[i, n:] = True
        return mask

    def forward(self, points, counts):
        kpm = self.padding_mask(counts)
        h = self.encoder(self.embed(points), src_key_padding_mask=kpm)
        keep = (torch.arange(self.args.max_points)[None, :] < counts[:, None]).unsqueeze(-1)
        return (h * keep).sum(1) / keep.sum(1)


def pad_groups(groups, args: SetEncoderArgs):
    out = torch.zeros(len(groups), args.max_points, args.in_dim)
    for i, g in enumerate(groups):
        out[i, : g.shape[0]] = g
    return out, torch.tensor([g.shape[0] for g in groups])


if __name__ == "__main__":
    torch.manual_seed(0)
    args = SetEncoderArgs()
    model = SetEncoder(args)
    groups = [torch.randn(5, 3), torch.randn(11, 3)]
    pts, counts = pad_groups(groups, args)
    single, c1 = pad_groups(groups[:1], args)
    single[0, 5:] = 99.0
    model.train()
    a = model(pts, counts)[0]
    b = model(single, c1)[0]
    print("padding ignored:", torch.allclose(a, b, atol=1e-5))
    model.eval()
    with torch.no_grad():
        print(model(pts, counts).shape)
