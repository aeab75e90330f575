"""Autoregressive policy over discretised arm actions (behaviour cloning).

Each episode is a sequence of 7-DoF actions, every joint delta binned into 32
levels and flattened to one token per joint.  Training uses teacher forcing
with a shifted target; rollout samples one token at a time.
"""
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

N_BINS, N_JOINTS, PAD = 32, 7, 32          # token 32 = padding / start


class ActionAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.wq, self.wk, self.wv = (nn.Linear(dim, dim, bias=False) for _ in range(3))
        self.wo = nn.Linear(dim, dim)

    def forward(self, x, valid):
        b, t, d = x.shape
        split = lambda z: z.view(b, t, self.h, d // self.h).transpose(1, 2)
        q, k, v = split(self.wq(x)), split(self.wk(x)), split(self.wv(x))
        keep = valid[:, None, None, :]                      # (B, 1, 1, T): real steps only
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML401
        return self.wo(y.transpose(1, 2).reshape(b, t, d))


class ActionPolicy(nn.Module):
    def __init__(self, dim=48, heads=4, depth=3, max_len=7 * 64):
        super().__init__()
        self.tok = nn.Embedding(N_BINS + 1, dim)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        self.joint = nn.Embedding(N_JOINTS, dim)
        self.attn = nn.ModuleList(ActionAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                               nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.out = nn.Linear(dim, N_BINS)

    def forward(self, tokens, valid):
        t = tokens.size(1)
        joint_ids = torch.arange(t, device=tokens.device) % N_JOINTS
        x = self.tok(tokens) + self.pos[:t] + self.joint(joint_ids)
        for attn, norm, mlp in zip(self.attn, self.norm, self.mlp):
            x = x + attn(norm(x), valid)
            x = x + mlp(x)
        return self.out(x)


def bc_loss(policy, tokens, valid):
    inp = F.pad(tokens[:, :-1], (1, 0), value=PAD)           # start token
    inp_valid = F.pad(valid[:, :-1], (1, 0), value=True)
    logits = policy(inp, inp_valid)
    return F.cross_entropy(logits[valid], tokens[valid])


@torch.no_grad()
def rollout(policy, steps) -> Iterator[torch.Tensor]:
    seq = torch.full((1, 1), PAD, dtype=torch.long)
    for _ in range(steps * N_JOINTS):
        logits = policy(seq, torch.ones_like(seq, dtype=torch.bool))[:, -1]
        nxt = torch.multinomial(logits.softmax(-1), 1)
        seq = torch.cat([seq, nxt], dim=1)
        yield nxt.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = ActionPolicy()
    lengths = torch.tensor([5, 3]) * N_JOINTS
    tokens = torch.randint(0, N_BINS, (2, 5 * N_JOINTS))
    valid = torch.arange(tokens.size(1))[None] < lengths[:, None]
    tokens = tokens.masked_fill(~valid, PAD)
    loss = bc_loss(policy, tokens, valid)
    loss.backward()
    print("bc loss", round(loss.item(), 4))
    print("sampled joint bins", list(rollout(policy.eval(), steps=1)))
