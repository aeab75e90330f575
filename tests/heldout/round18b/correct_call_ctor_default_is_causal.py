"""Robot manipulation policy: autoregressive action-chunk decoder over proprioception tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ActionAttention(nn.Module):
    def __init__(self, dim, heads, is_causal=True):
        super().__init__()
        self.heads = heads
        self.is_causal = is_causal
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.is_causal)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class ObservationEncoder(nn.Module):
    def __init__(self, dim, heads, is_causal=True):
        super().__init__()
        self.is_causal = is_causal
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, obs):
        T = obs.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(T, device=obs.device, dtype=torch.bool) if self.is_causal else None
        return self.attn(obs, obs, obs, attn_mask=mask, need_weights=False, is_causal=self.is_causal)[0]


class ChunkPolicy(nn.Module):
    def __init__(self, obs_dim=10, act_dim=7, dim=32, heads=4):
        super().__init__()
        self.obs_in = nn.Linear(obs_dim, dim)
        self.act_in = nn.Linear(act_dim, dim)
        self.obs_enc = ObservationEncoder(dim, heads)
        self.blocks = nn.ModuleList(ActionAttention(dim, heads) for _ in range(2))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(2))
        self.act_out = nn.Linear(dim, act_dim)

    def forward(self, obs, actions):
        ctx = self.obs_enc(self.obs_in(obs))
        x = torch.cat([ctx, self.act_in(actions)], dim=1)
        for blk, norm in zip(self.blocks, self.norms):
            x = x + blk(norm(x))
        return self.act_out(x[:, obs.size(1) - 1 : -1])


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = ChunkPolicy()
    obs, actions = torch.randn(2, 5, 10), torch.randn(2, 8, 7)
    pred = policy(obs, actions)
    loss = F.mse_loss(pred, actions)
    policy.eval()
    with torch.no_grad():
        a = policy(obs, actions)
        actions2 = actions.clone()
        actions2[:, 5:] += 3.0
        b = policy(obs, actions2)
    print("loss", round(loss.item(), 5), "causal", torch.allclose(a[:, :6], b[:, :6], atol=1e-5))
