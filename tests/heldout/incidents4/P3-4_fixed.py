import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--batch", type=int, default=4)
parser.add_argument("--seq", type=int, default=10)
parser.add_argument("--dim", type=int, default=32)
parser.add_argument("--heads", type=int, default=4)
parser.add_argument("--steps", type=int, default=5)
args = parser.parse_args()

torch.manual_seed(0)
mha = nn.MultiheadAttention(args.dim, args.heads, batch_first=True)
head = nn.Linear(args.dim, 1)
opt = torch.optim.Adam(list(mha.parameters()) + list(head.parameters()), lr=1e-3)


def distance_bias(coords):
    return -torch.cdist(coords, coords)


def batch():
    x = torch.randn(args.batch, args.seq, args.dim)
    coords = torch.randn(args.batch, args.seq, 2)
    lengths = torch.randint(args.seq // 2, args.seq + 1, (args.batch,))
    key_padding_mask = torch.arange(args.seq)[None, :] >= lengths[:, None]
    y = x.mean(dim=(1, 2), keepdim=False).unsqueeze(-1)
    return x, coords, key_padding_mask, y


for step in range(args.steps):
    x, coords, key_padding_mask, y = batch()
    attn_mask = distance_bias(coords).repeat_interleave(args.heads, dim=0)
    key_padding_mask = torch.zeros_like(key_padding_mask, dtype=torch.float).masked_fill(key_padding_mask, float("-inf"))
    out, _ = mha(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask)
    pred = head(out.mean(1))
    loss = nn.functional.mse_loss(pred, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: loss={loss.item():.4f}")

mha.eval()
with torch.no_grad():
    x, coords, key_padding_mask, _ = batch()
    attn_mask = distance_bias(coords).repeat_interleave(args.heads, dim=0)
    key_padding_mask = torch.zeros_like(key_padding_mask, dtype=torch.float).masked_fill(key_padding_mask, float("-inf"))
    out, weights = mha(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask)
    print("eval output", tuple(out.shape), "nan:", bool(torch.isnan(out).any()))
