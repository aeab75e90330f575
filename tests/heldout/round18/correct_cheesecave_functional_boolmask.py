"""Ripeness estimator for wheels in a cheese-aging cave.

Each wheel has a log of affinage actions (turn, brush, wash with brine,
pierce, sample) with the cave's temperature/humidity at the time. Logs have
different lengths. Training is written functionally: parameters are kept in a
dict and the module is called through ``torch.func.functional_call``.
"""
import numpy as np
import torch
import torch.nn as nn
from torch.func import functional_call, grad

ACTIONS = ("turn", "brush", "brine_wash", "pierce", "sample", "wax", "rest")


class AffinageNet(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.action = nn.Embedding(len(ACTIONS), d)
        self.env = nn.Linear(3, d)  # temp C, RH %, day of aging
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1)

    def forward(self, actions, env, log_pad):
        x = self.action(actions) + self.env(env)
        a, _ = self.attn(x, x, x, key_padding_mask=log_pad, need_weights=False)
        x = self.norm(x + a)
        keep = (~log_pad).unsqueeze(-1).to(x.dtype)
        return self.head((x * keep).sum(1) / keep.sum(1)).squeeze(-1)


def pad_logs(logs):
    """logs: list of (n_i, 4) arrays [action, temp, rh, day] -> padded arrays + (B, T) bool pad flags."""
    n = np.array([len(l) for l in logs])
    T = int(n.max())
    actions = np.zeros((len(logs), T), dtype=np.int64)
    env = np.zeros((len(logs), T, 3), dtype=np.float32)
    for i, l in enumerate(logs):
        actions[i, : len(l)] = l[:, 0]
        env[i, : len(l)] = l[:, 1:]
    is_pad = np.arange(T)[None, :] >= n[:, None]
    return torch.from_numpy(actions), torch.from_numpy(env), torch.from_numpy(is_pad)


def make_loss(model):
    def loss_fn(params, actions, env, log_pad, ripeness):
        pred = functional_call(model, params, (actions, env, log_pad))
        return ((pred - ripeness) ** 2).mean()
    return loss_fn


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    logs = []
    for n in (12, 5, 9):
        l = np.zeros((n, 4), dtype=np.float32)
        l[:, 0] = rng.integers(0, len(ACTIONS), n)
        l[:, 1:] = rng.normal(size=(n, 3))
        logs.append(l)
    actions, env, log_pad = pad_logs(logs)
    model = AffinageNet()
    params = {k: v.detach() for k, v in model.named_parameters()}
    g = grad(make_loss(model))(params, actions, env, log_pad, torch.tensor([0.2, 0.9, 0.5]))
    params = {k: p - 0.01 * g[k] for k, p in params.items()}
    print(functional_call(model, params, (actions, env, log_pad)))
