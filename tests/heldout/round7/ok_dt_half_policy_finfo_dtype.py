"""Return-conditioned policy served in half precision on the robot's
inference box. minGPT-style causal self-attention written out by hand; the
fill value follows the activation dtype, so it is representable in fp16."""
import math

import torch
import torch.nn as nn
from torch.nn import functional as F

SERVE_DTYPE = torch.float16


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.n_head = n_head
        self.key = nn.Linear(n_embd, n_embd)
        self.query = nn.Linear(n_embd, n_embd)
        self.value = nn.Linear(n_embd, n_embd)
        self.proj = nn.Linear(n_embd, n_embd)
        self.register_buffer("mask", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        k = self.key(x).view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = self.query(x).view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = self.value(x).view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, torch.finfo(att.dtype).min)
        att = F.softmax(att, dim=-1)
        return self.proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))


class PolicyGPT(nn.Module):
    def __init__(self, obs_dim=6, act_dim=2, n_embd=32, n_head=4, n_layer=2, block_size=30):
        super().__init__()
        self.tok = nn.Linear(obs_dim + 1, n_embd)
        self.pos = nn.Parameter(torch.zeros(1, block_size, n_embd))
        self.blocks = nn.ModuleList([CausalSelfAttention(n_embd, n_head, block_size) for _ in range(n_layer)])
        self.ln = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, act_dim)

    def forward(self, obs, rtg):
        x = self.tok(torch.cat([obs, rtg], -1)) + self.pos[:, : obs.size(1)]
        for blk in self.blocks:
            x = x + blk(x)
        return torch.tanh(self.head(self.ln(x)))


def load_policy(state_dict=None):
    policy = PolicyGPT()
    if state_dict is not None:
        policy.load_state_dict(state_dict)
    return policy.to(SERVE_DTYPE).eval()


if __name__ == "__main__":
    torch.manual_seed(0)
    fp32 = PolicyGPT().eval()
    obs, rtg = torch.randn(1, 5, 6), torch.randn(1, 5, 1)
    with torch.no_grad():
        ref = fp32(obs, rtg)
        policy = load_policy(fp32.state_dict())
        act = policy(obs.to(SERVE_DTYPE), rtg.to(SERVE_DTYPE)).float()
        obs2 = obs.clone()
        obs2[:, -1] += 3.0
        act2 = policy(obs2.to(SERVE_DTYPE), rtg.to(SERVE_DTYPE)).float()
    assert not torch.isnan(act).any()
    assert (act - ref).abs().max() < 2e-2, (act - ref).abs().max()
    assert (act[:, :-1] - act2[:, :-1]).abs().max() == 0, "future observation leaked"
    print("ok: fp16 matches fp32, causal")
