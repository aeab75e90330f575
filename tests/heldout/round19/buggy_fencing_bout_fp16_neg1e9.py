"""Epee/foil bout model: given the action history (left-padded), predict who scores the next touch.
Runs in float16 for the live scoring tablet."""
import torch
import torch.nn as nn

ACTIONS = ["<pad>", "advance", "retreat", "lunge", "fleche", "parry", "riposte", "counter", "beat", "feint", "halt"]
PAD = 0


class BoutAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, bias):
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5
        probs = torch.softmax(scores + bias, dim=-1)
        return self.out((probs @ v).transpose(1, 2).reshape(b, t, d))


class TouchPredictor(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_len=128):
        super().__init__()
        self.act = nn.Embedding(len(ACTIONS), d, padding_idx=PAD)
        self.side = nn.Embedding(2, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(BoutAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, 3)  # left touch, right touch, no touch

    def forward(self, actions, side):
        b, t = actions.shape
        real = actions != PAD
        pos = (real.long().cumsum(-1) - 1).clamp_min(0)
        x = self.act(actions) + self.side(side) + self.pos(pos)
        keep = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))[None] & real[:, None, :]
        bias = (1.0 - keep[:, None].to(x.dtype)) * -1e9  # BUG: -1e9 is -inf in float16; left-padded rows have no visible key, softmax gives NaN and it spreads through later layers
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x), bias)
        return self.head(x[:, -1])


def left_pad(seqs):
    t = max(len(s) for s in seqs)
    return torch.tensor([[PAD] * (t - len(s)) + s for s in seqs])


if __name__ == "__main__":
    model = TouchPredictor().half().eval()
    acts = left_pad([[1, 3, 5, 6], [2, 2, 1, 4, 7, 9, 3]])
    side = torch.randint(0, 2, acts.shape)
    with torch.no_grad():
        print(model(acts, side).float().softmax(-1))
