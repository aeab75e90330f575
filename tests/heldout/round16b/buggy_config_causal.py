from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class PolicyConfig:
    obs_dim: int = 17
    act_dim: int = 6
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_ep_len: int = 64
    causal: bool = True


class DecisionBlock(nn.Module):
    def __init__(self, cfg: PolicyConfig):
        super().__init__()
        self.cfg = cfg
        self.ln1, self.ln2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(), nn.Linear(4 * cfg.d_model, cfg.d_model))

    def forward(self, x):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, need_weights=False, is_causal=self.cfg.causal)  # expect: ML402
        x = x + a
        return x + self.mlp(self.ln2(x))


class DecisionTransformer(nn.Module):
    """Predicts a_t from (R_<=t, s_<=t, a_<t)."""

    def __init__(self, cfg: PolicyConfig):
        super().__init__()
        self.cfg = cfg
        self.embed_return = nn.Linear(1, cfg.d_model)
        self.embed_state = nn.Linear(cfg.obs_dim, cfg.d_model)
        self.embed_action = nn.Linear(cfg.act_dim, cfg.d_model)
        self.embed_time = nn.Embedding(cfg.max_ep_len, cfg.d_model)
        self.blocks = nn.ModuleList(DecisionBlock(cfg) for _ in range(cfg.n_layers))
        self.predict_action = nn.Sequential(nn.Linear(cfg.d_model, cfg.act_dim), nn.Tanh())

    def forward(self, returns_to_go, states, actions, timesteps):
        b, t = states.shape[:2]
        te = self.embed_time(timesteps)
        tokens = torch.stack(
            [self.embed_return(returns_to_go) + te, self.embed_state(states) + te, self.embed_action(actions) + te], 2
        ).reshape(b, 3 * t, -1)
        for blk in self.blocks:
            tokens = blk(tokens)
        return self.predict_action(tokens.view(b, t, 3, -1)[:, :, 1])

    @torch.no_grad()
    def act(self, returns_to_go, states, actions, timesteps):
        return self(returns_to_go, states, actions, timesteps)[:, -1]


if __name__ == "__main__":
    cfg = PolicyConfig()
    policy = DecisionTransformer(cfg).eval()
    T = 10
    a = policy.act(torch.randn(1, T, 1), torch.randn(1, T, cfg.obs_dim), torch.zeros(1, T, cfg.act_dim), torch.arange(T)[None])
    print(a)
