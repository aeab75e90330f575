"""Multi-person pose estimation as set prediction: learned instance queries
attend to image features and each predicts one skeleton."""
import torch
import torch.nn as nn


class PoseSetPredictor(nn.Module):
    def __init__(self, dim=64, n_instances=8, n_joints=17):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dim, 4, stride=4), nn.GELU(), nn.Conv2d(dim, dim, 2, stride=2))
        self.row = nn.Embedding(32, dim // 2)
        self.col = nn.Embedding(32, dim // 2)
        enc = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True)
        dec = nn.TransformerDecoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, 2, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, 2)
        self.instances = nn.Embedding(n_instances, dim)
        self.joints = nn.Linear(dim, n_joints * 3)
        self.objectness = nn.Linear(dim, 1)

    def positions(self, h, w, device):
        r = self.row(torch.arange(h, device=device))
        c = self.col(torch.arange(w, device=device))
        return torch.cat([r[:, None].expand(h, w, -1), c[None].expand(h, w, -1)], -1).flatten(0, 1)

    def forward(self, images, valid_hw):
        f = self.stem(images)
        b, d, h, w = f.shape
        ys = torch.arange(h, device=f.device)[None, :, None]
        xs = torch.arange(w, device=f.device)[None, None, :]
        outside = (ys >= valid_hw[:, 0, None, None]) | (xs >= valid_hw[:, 1, None, None])
        outside = outside.flatten(1)
        src = f.flatten(2).transpose(1, 2) + self.positions(h, w, f.device)
        memory = self.encoder(src, src_key_padding_mask=outside)
        queries = self.instances.weight.expand(b, -1, -1)
        hs = self.decoder(queries, memory, memory_key_padding_mask=outside)
        return self.joints(hs).unflatten(-1, (-1, 3)), self.objectness(hs).squeeze(-1)
