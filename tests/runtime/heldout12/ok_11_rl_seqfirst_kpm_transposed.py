# EXPECT: ok
"""Episode-memory critic in time-major (T, N, D) layout; finished episodes are padded."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T_STEPS, N_ENVS, OBS = 6, 6, 5


class EpisodeCritic(nn.Module):
    def __init__(self, d=24, heads=2, p=0.1):
        super().__init__()
        self.enc = nn.Linear(OBS, d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=p)  # time-major
        self.ln = nn.LayerNorm(d)
        self.drop = nn.Dropout(p)
        self.value = nn.Linear(d, 1)

    def forward(self, obs, ep_len):  # obs: (T, N, OBS)
        T = obs.size(0)
        after_end = torch.arange(T).unsqueeze(1) >= ep_len.unsqueeze(0)  # (T, N), time-major like obs
        h = self.enc(obs)
        a, _ = self.attn(h, h, h, key_padding_mask=after_end.transpose(0, 1))  # MHA wants (N, S)
        h = self.ln(h + self.drop(a))
        return self.value(h).squeeze(-1), after_end


def run():
    torch.manual_seed(0)
    critic = EpisodeCritic()
    opt = torch.optim.Adam(critic.parameters(), lr=3e-3)
    obs = torch.randn(T_STEPS, N_ENVS, OBS)
    ep_len = torch.tensor([6, 6, 3, 6, 5, 6])
    returns = torch.randn(T_STEPS, N_ENVS)

    critic.train()
    v, after_end = critic(obs, ep_len)
    live = (~after_end).float()
    loss = ((v - returns) ** 2 * live).sum() / live.sum()
    opt.zero_grad()
    loss.backward()
    opt.step()

    critic.eval()
    with torch.no_grad():
        v_eval, _ = critic(obs, ep_len)
    return [loss.detach(), v_eval * live]
