"""Eruption-interval predictor for a geyser basin's sensor network.

Every window holds one feature vector per sensor (water temperature in the
runoff channel, ground tilt, infrasound level, pool level). Sensors go offline
(snow, bison), and sensors in different hydrothermal groups only exchange
information in later layers, so the first layer gets a per-window mask.
"""
import torch
import torch.nn as nn


class BasinAttention(nn.Module):
    def __init__(self, d_model=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(d_model, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def build_mask(self, online, group):
        # online: (B, S) bool; group: (S,) hydrothermal group id
        other_group = group[:, None] != group[None, :]          # (S, S)
        blocked = other_group[None] | ~online[:, None, :]        # (B, S, S)
        blocked = blocked & ~torch.eye(group.numel(), dtype=torch.bool)[None]
        return blocked.repeat_interleave(self.num_heads, dim=0)  # (B*H, S, S), sample-major

    def forward(self, x, online, group):
        y, _ = self.mha(x, x, x, attn_mask=self.build_mask(online, group), need_weights=False)
        return self.norm(x + y)


class IntervalNet(nn.Module):
    def __init__(self, n_feat=4, d_model=32, num_heads=4):
        super().__init__()
        self.embed = nn.Linear(n_feat, d_model)
        self.local = BasinAttention(d_model, num_heads)
        self.mix = nn.TransformerEncoderLayer(d_model, num_heads, 2 * d_model, batch_first=True)
        self.out = nn.Linear(d_model, 1)

    def forward(self, feats, online, group):
        h = self.local(self.embed(feats), online, group)
        h = self.mix(h, src_key_padding_mask=~online)
        w = online.float().unsqueeze(-1)
        return nn.functional.softplus(self.out((h * w).sum(1) / w.sum(1).clamp(min=1))).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    S = 8
    group = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2])
    online = torch.rand(3, S) > 0.2
    online[:, 0] = True
    model = IntervalNet()
    print(model(torch.randn(3, S, 4), online, group))
