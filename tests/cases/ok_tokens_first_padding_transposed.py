"""Correct: a padding mask built time-major, (T, N) like the time-major inputs
(`arange(T).unsqueeze(1) >= lengths.unsqueeze(0)`), transposed to the (N, S) that
nn.MultiheadAttention wants."""
import torch
from torch import nn


class Critic(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.enc = nn.Linear(5, d)
        self.attn = nn.MultiheadAttention(d, heads)  # seq-first

    def forward(self, obs, ep_len):  # obs: (T, N, 5)
        t = obs.size(0)
        after_end = torch.arange(t).unsqueeze(1) >= ep_len.unsqueeze(0)  # (T, N)
        h = self.enc(obs)
        a, _ = self.attn(h, h, h, key_padding_mask=after_end.transpose(0, 1))
        b, _ = self.attn(h, h, h, key_padding_mask=after_end.t())
        return a + b


if __name__ == "__main__":
    Critic()(torch.randn(6, 3, 5), torch.tensor([6, 4, 2]))
