"""Multi-agent communication policy: agents exchange messages with agents within sensing range (TarMAC-like)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CommRound(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)
        self.gru = nn.GRUCell(d, d)

    def forward(self, h, can_hear):
        # h: (E, A, d) hidden state per env and agent; can_hear: (E, A, A) bool, True = receiver i hears j
        E, A, d = h.shape
        q = self.q(h).view(E, A, self.heads, -1).transpose(1, 2)
        k, v = self.kv(h).view(E, A, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        msg = F.scaled_dot_product_attention(q, k, v, attn_mask=can_hear)  # expect: ML301
        msg = self.o(msg.transpose(1, 2).reshape(E, A, d))
        return self.gru(msg.reshape(E * A, d), h.reshape(E * A, d)).view(E, A, d)


class CommPolicy(nn.Module):
    def __init__(self, obs_dim=10, d=32, heads=4, n_actions=5, rounds=2, comm_range=0.5):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(obs_dim, d), nn.ReLU(), nn.Linear(d, d))
        self.rounds = nn.ModuleList(CommRound(d, heads) for _ in range(rounds))
        self.pi = nn.Linear(d, n_actions)
        self.v = nn.Linear(d, 1)
        self.comm_range = comm_range

    def forward(self, obs, positions):
        # obs: (E, A, obs_dim), positions: (E, A, 2)
        dist = torch.cdist(positions, positions)
        can_hear = dist <= self.comm_range  # includes self (distance 0)
        h = self.enc(obs)
        for rnd in self.rounds:
            h = rnd(h, can_hear)
        return torch.distributions.Categorical(logits=self.pi(h)), self.v(h).squeeze(-1)


def ppo_loss(policy, obs, pos, actions, old_logp, adv, returns, clip=0.2):
    dist, value = policy(obs, pos)
    logp = dist.log_prob(actions)
    ratio = torch.exp(logp - old_logp)
    pg = -torch.min(ratio * adv, torch.clamp(ratio, 1 - clip, 1 + clip) * adv).mean()
    return pg + 0.5 * F.mse_loss(value, returns) - 0.01 * dist.entropy().mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    n_envs, n_agents = 4, 6
    policy = CommPolicy()
    obs, pos = torch.randn(n_envs, n_agents, 10), torch.rand(n_envs, n_agents, 2)
    with torch.no_grad():
        dist, value = policy(obs, pos)
        actions = dist.sample()
        old_logp = dist.log_prob(actions)
    adv, returns = torch.randn(n_envs, n_agents), torch.randn(n_envs, n_agents)
    loss = ppo_loss(policy, obs, pos, actions, old_logp, adv, returns)
    loss.backward()
    print(actions.tolist(), loss.item())
