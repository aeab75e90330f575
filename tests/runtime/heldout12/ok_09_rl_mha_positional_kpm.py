# EXPECT: ok
"""Decision-transformer-like policy: 8 parallel envs, context of 8 steps.

Episodes that terminated inside the context window are right-padded (key_padding_mask,
passed positionally as MHA's 4th argument) and attention is causal (attn_mask keyword).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_ENVS, CONTEXT, OBS, ACT = 8, 8, 6, 4


class TrajectoryPolicy(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.obs_enc = nn.Linear(OBS, d)
        self.step_emb = nn.Embedding(CONTEXT, d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ln = nn.LayerNorm(d)
        self.drop = nn.Dropout(p)
        self.pi = nn.Linear(d, ACT)
        self.register_buffer("causal", torch.triu(torch.ones(CONTEXT, CONTEXT, dtype=torch.bool), 1))

    def forward(self, obs, after_done):
        x = self.obs_enc(obs) + self.step_emb.weight[: obs.size(1)]
        y, _ = self.attn(x, x, x, after_done, need_weights=False, attn_mask=self.causal)
        x = self.ln(x + self.drop(y))
        return self.pi(x)


def run():
    torch.manual_seed(0)
    policy = TrajectoryPolicy()
    opt = torch.optim.Adam(policy.parameters(), lr=3e-3)
    obs = torch.randn(N_ENVS, CONTEXT, OBS)
    actions = torch.randint(0, ACT, (N_ENVS, CONTEXT))
    ep_len = torch.tensor([8, 8, 5, 8, 8, 7, 8, 8])          # env 2 and env 5 terminated early
    after_done = torch.arange(CONTEXT)[None, :] >= ep_len[:, None]
    valid = ~after_done

    policy.train()
    logits = policy(obs, after_done)
    loss = F.cross_entropy(logits[valid], actions[valid])
    opt.zero_grad()
    loss.backward()
    opt.step()

    policy.eval()
    with torch.no_grad():
        out = policy(obs, after_done)
    return [loss.detach(), out[valid]]
