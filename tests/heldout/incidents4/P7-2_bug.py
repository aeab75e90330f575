import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--seq-len", type=int, default=6)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--drop-prob", type=float, default=0.6)
parser.add_argument("--steps", type=int, default=20)
args = parser.parse_args()

torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.1, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
head = nn.Linear(32, 1)
embed = nn.Embedding(100, 32)
opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()) + list(embed.parameters()), lr=1e-3)


def random_token_dropout(batch_size, seq_len, p):
    return torch.rand(batch_size, seq_len) < p  # BUG


for step in range(args.steps):
    tokens = torch.randint(0, 100, (args.batch_size, args.seq_len))
    target = (tokens.float().mean(1, keepdim=True) / 100.0)
    kpm = random_token_dropout(args.batch_size, args.seq_len, args.drop_prob)
    h = encoder(embed(tokens), src_key_padding_mask=kpm)  # BUG
    keep = (~kpm).unsqueeze(-1).float()
    pooled = (h * keep).sum(1) / keep.sum(1).clamp(min=1.0)
    loss = nn.functional.mse_loss(head(pooled), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step}: loss={loss.item():.4f} fully_masked_rows={int(kpm.all(1).sum())}")

encoder.eval()
with torch.no_grad():
    tokens = torch.randint(0, 100, (args.batch_size, args.seq_len))
    kpm = random_token_dropout(args.batch_size, args.seq_len, args.drop_prob)
    out = encoder(embed(tokens), src_key_padding_mask=kpm)  # BUG
    print("eval nan:", bool(torch.isnan(out).any()))
