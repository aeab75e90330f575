"""Trajectory GPT for offline RL: return, state and action tokens interleaved,
hand-rolled pre-norm blocks around nn.MultiheadAttention, and a rollout-time
`get_action`."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, need_weights=False, is_causal=True)  # expect: ML402
        x = x + a
        return x + self.mlp(self.ln2(x))


class TrajectoryGPT(nn.Module):
    def __init__(self, state_dim=3, act_dim=2, d=32, heads=4, n_layer=2, max_t=50):
        super().__init__()
        self.d = d
        self.ret = nn.Linear(1, d)
        self.obs = nn.Linear(state_dim, d)
        self.act = nn.Linear(act_dim, d)
        self.time = nn.Embedding(max_t, d)
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(n_layer)])
        self.action_head = nn.Linear(d, act_dim)

    def forward(self, rtg, obs, act, t):
        B, K, _ = obs.shape
        te = self.time(t)
        tokens = torch.stack([self.ret(rtg) + te, self.obs(obs) + te, self.act(act) + te], dim=2).reshape(B, 3 * K, self.d)
        h = self.blocks(tokens).reshape(B, K, 3, self.d)
        return self.action_head(h[:, :, 1])  # predict a_t from the state token s_t

    @torch.no_grad()
    def get_action(self, rtg, obs, act, t):
        return self(rtg, obs, act, t)[:, -1]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TrajectoryGPT().eval()
    K = 4
    rtg, obs, act = torch.randn(1, K, 1), torch.randn(1, K, 3), torch.randn(1, K, 2)
    t = torch.arange(K)[None]
    with torch.no_grad():
        a = model(rtg, obs, act, t)
        act2 = act.clone()
        act2[:, 0] += 3.0  # the logged action a_0 that the policy should predict at step 0
        b = model(rtg, obs, act2, t)
    leak = (a[:, 0] - b[:, 0]).abs().max().item()
    print("eval: predicted a_0 moved by the logged a_0 (label leak):", leak)
    assert leak > 1e-3
    model.train()
    try:
        model(rtg, obs, act, t)
    except RuntimeError as e:
        print("train mode:", str(e)[:60])
