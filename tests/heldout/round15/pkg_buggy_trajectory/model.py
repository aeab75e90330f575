import torch
from torch import nn

from .masks import timestep_causal_mask


class TrajectoryBlock(nn.Module):
    def __init__(self, dim, heads, dropout=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, step_mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=step_mask, is_causal=True, need_weights=False)  # expect: ML402
        x = x + a
        return x + self.mlp(self.ln2(x))


class TrajectoryModel(nn.Module):
    def __init__(self, obs_dim=16, n_patches=3, n_actions=6, dim=64, heads=4, depth=2):
        super().__init__()
        self.n_patches = n_patches
        self.obs_in = nn.Linear(obs_dim, dim)
        self.act_in = nn.Embedding(n_actions, dim)
        self.slot = nn.Parameter(torch.randn(n_patches + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(TrajectoryBlock(dim, heads) for _ in range(depth))
        self.next_obs = nn.Linear(dim, obs_dim)

    def forward(self, obs, actions):
        """obs: (B, T, P, obs_dim); actions: (B, T). Predicts the next step's observation patches."""
        B, T, P, _ = obs.shape
        tok = torch.cat([self.obs_in(obs), self.act_in(actions)[:, :, None]], 2) + self.slot
        x = tok.reshape(B, T * (P + 1), -1)
        mask = timestep_causal_mask(T, P + 1, device=x.device)
        for blk in self.blocks:
            x = blk(x, mask)
        x = x.view(B, T, P + 1, -1)
        return self.next_obs(x[:, :, -1:, :] + x[:, :, :P])  # (B, T, P, obs_dim)
