"""Decision-Transformer style policy over (return-to-go, state, action) triples."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DTConfig:
    state_dim: int = 17
    act_dim: int = 6
    hidden: int = 128
    n_head: int = 4
    n_layer: int = 2
    max_ep_len: int = 1000


class TrajectoryAttention(nn.Module):
    def __init__(self, cfg: DTConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)
        self.proj = nn.Linear(cfg.hidden, cfg.hidden)

    def forward(self, x, allowed):
        B, T, D = x.shape
        H = self.cfg.n_head
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)  # expect: ML202
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class DecisionTransformer(nn.Module):
    def __init__(self, cfg: DTConfig):
        super().__init__()
        self.cfg = cfg
        self.embed_t = nn.Embedding(cfg.max_ep_len, cfg.hidden)
        self.embed_r = nn.Linear(1, cfg.hidden)
        self.embed_s = nn.Linear(cfg.state_dim, cfg.hidden)
        self.embed_a = nn.Linear(cfg.act_dim, cfg.hidden)
        self.blocks = nn.ModuleList(TrajectoryAttention(cfg) for _ in range(cfg.n_layer))
        self.predict_action = nn.Sequential(nn.Linear(cfg.hidden, cfg.act_dim), nn.Tanh())

    def forward(self, rtg, states, actions, timesteps, valid):
        B, K, _ = states.shape
        te = self.embed_t(timesteps)
        tokens = torch.stack([self.embed_r(rtg) + te, self.embed_s(states) + te,
                              self.embed_a(actions) + te], dim=2).reshape(B, 3 * K, -1)
        valid3 = valid.repeat_interleave(3, dim=1)
        causal = torch.tril(torch.ones(3 * K, 3 * K, device=tokens.device))
        allowed = (causal[None, None] * valid3[:, None, None, :]).to(tokens.dtype)
        for blk in self.blocks:
            tokens = tokens + blk(tokens, allowed)
        return self.predict_action(tokens.view(B, K, 3, -1)[:, :, 1])


if __name__ == "__main__":
    cfg = DTConfig()
    B, K = 3, 20
    valid = torch.ones(B, K)
    valid[1, :5] = 0
    out = DecisionTransformer(cfg)(torch.randn(B, K, 1), torch.randn(B, K, cfg.state_dim),
                                   torch.randn(B, K, cfg.act_dim), torch.randint(0, 1000, (B, K)), valid)
    print(out.shape)
