"""Return-conditioned policy for a grid game, acting from a trajectory context (Decision-Transformer-like)."""
import torch
import torch.nn as nn


class TrajectoryPolicy(nn.Module):
    def __init__(self, obs_dim=16, n_actions=6, d=64, heads=4, layers=2, max_steps=200, context=10):
        super().__init__()
        self.context = context
        self.embed_rtg = nn.Linear(1, d)
        self.embed_obs = nn.Linear(obs_dim, d)
        self.embed_act = nn.Embedding(n_actions + 1, d)  # last index = "no action yet"
        self.embed_t = nn.Embedding(max_steps, d)
        self.ln = nn.LayerNorm(d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True)
        self.trunk = nn.TransformerEncoder(layer, layers)
        self.act_head = nn.Linear(d, n_actions)

    def forward(self, rtg, obs, actions, timesteps):
        # rtg (B,K,1) obs (B,K,obs_dim) actions (B,K) timesteps (B,K)
        B, K = actions.shape
        t = self.embed_t(timesteps)
        tokens = torch.stack(
            [self.embed_rtg(rtg) + t, self.embed_obs(obs) + t, self.embed_act(actions) + t], dim=2
        ).reshape(B, 3 * K, -1)
        h = self.trunk(self.ln(tokens), is_causal=True)  # expect: ML402
        h = h.reshape(B, K, 3, -1)
        return self.act_head(h[:, :, 1])  # predict a_t from the obs token


class Agent:
    def __init__(self, policy, target_return, n_actions=6):
        self.policy = policy.eval()
        self.target = target_return
        self.n_actions = n_actions
        self.reset()

    def reset(self):
        self.rtg, self.obs, self.acts, self.ts = [], [], [], []

    @torch.no_grad()
    def act(self, obs, reward, t):
        remaining = self.target if not self.rtg else self.rtg[-1] - reward
        self.rtg.append(remaining)
        self.obs.append(obs)
        self.acts.append(self.n_actions)
        self.ts.append(t)
        K = self.policy.context
        rtg = torch.tensor(self.rtg[-K:]).view(1, -1, 1)
        ob = torch.stack(self.obs[-K:]).unsqueeze(0)
        ac = torch.tensor(self.acts[-K:]).unsqueeze(0)
        ts = torch.tensor(self.ts[-K:]).unsqueeze(0)
        logits = self.policy(rtg, ob, ac, ts)[0, -1]
        a = int(logits.argmax())
        self.acts[-1] = a
        return a


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent(TrajectoryPolicy(), target_return=10.0)
    obs, reward, actions = torch.randn(16), 0.0, []
    for t in range(15):
        actions.append(agent.act(obs, reward, t))
        obs, reward = torch.randn(16), float(torch.rand(()) > 0.7)
    print(actions)
