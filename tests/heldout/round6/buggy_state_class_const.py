"""Relative-position attention with a class-level masking constant (trained under fp16 autocast)."""
import torch
import torch.nn as nn


class RelPosAttention(nn.Module):
    MASK_VALUE = -1e10  # expect: ML205
    MAX_REL = 32

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.rel_bias = nn.Embedding(2 * self.MAX_REL + 1, heads)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, keep):
        B, T, C = x.shape
        q, k, v = self.to_qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        sim = (q @ k.transpose(-1, -2)) * self.scale
        pos = torch.arange(T, device=x.device)
        rel = (pos[None, :] - pos[:, None]).clamp(-self.MAX_REL, self.MAX_REL) + self.MAX_REL
        sim = sim + self.rel_bias(rel).permute(2, 0, 1)
        sim = sim.masked_fill(~keep[:, None, None, :], self.MASK_VALUE)
        attn = sim.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(B, T, C)
        return self.to_out(out)


def train_step(model, x, keep, opt):
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        loss = model(x, keep).pow(2).mean()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    m = RelPosAttention(32, 4).half()
    x = torch.randn(2, 6, 32).half()
    keep = torch.tensor([[True] * 6, [True] * 3 + [False] * 3])
    try:
        m(x, keep)
    except RuntimeError as e:
        print(e)
