"""Point-cloud / molecule encoder with a per-sample distance bias fed to nn.MultiheadAttention
as a 3D float attn_mask (the pattern reported in pytorch/pytorch issue 97605)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DistanceBiasEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(embed_dim)
        self.norm2 = nn.LayerNorm(embed_dim)
        self.ff = nn.Sequential(nn.Linear(embed_dim, 64), nn.SiLU(), nn.Linear(64, embed_dim))
        self.gamma = nn.Parameter(torch.tensor(1.0))

    def forward(self, x, pos, key_padding_mask):
        dist = torch.cdist(pos, pos)
        bias = -self.gamma * dist
        attn_mask = bias.repeat_interleave(self.num_heads, dim=0)
        attn_mask = attn_mask.masked_fill(key_padding_mask.repeat_interleave(self.num_heads, dim=0)[:, None, :], float("-inf"))
        h = self.norm1(x)
        out, _ = self.mha(h, h, h, attn_mask=attn_mask, need_weights=False)
        x = x + out
        return x + self.ff(self.norm2(x))


class PointEncoder(nn.Module):
    def __init__(self, num_types=10, dim=32, depth=2):
        super().__init__()
        self.type_emb = nn.Embedding(num_types, dim, padding_idx=0)
        self.layers = nn.ModuleList([DistanceBiasEncoderLayer(dim) for _ in range(depth)])
        self.readout = nn.Linear(dim, 1)

    def forward(self, types, pos):
        kpm = types == 0
        x = self.type_emb(types)
        for layer in self.layers:
            x = layer(x, pos, kpm)
        keep = (~kpm).unsqueeze(-1).float()
        return self.readout((x * keep).sum(1) / keep.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PointEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    types = torch.tensor([[3, 4, 5, 1, 0, 0], [2, 2, 7, 8, 9, 1], [6, 1, 0, 0, 0, 0]])
    pos = torch.randn(3, 6, 3)
    energy = torch.tensor([-1.2, 0.3, 0.8])

    model.train()
    loss = F.mse_loss(model(types, pos), energy)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", loss.item())

    model.eval()
    with torch.no_grad():
        batched = model(types, pos)
        single = model(types[2:3, :2], pos[2:3, :2])
    print("batch vs single sample:", (batched[2] - single[0]).abs().item())
