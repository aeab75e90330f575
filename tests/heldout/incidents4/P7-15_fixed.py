import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def forward(self, query, key, value, mask=None, dropout=None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            min_value = -65504.0 if scores.dtype == torch.float16 else -1e9
            scores = scores.masked_fill(mask == 0, min_value)
        p_attn = F.softmax(scores, dim=-1)
        if dropout is not None:
            p_attn = dropout(p_attn)
        return torch.matmul(p_attn, value), p_attn


class TransformerBlock(nn.Module):
    def __init__(self, hidden, attn_heads, dropout=0.1):
        super().__init__()
        self.h, self.d_k = attn_heads, hidden // attn_heads
        self.linear_layers = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(3)])
        self.output_linear = nn.Linear(hidden, hidden)
        self.attention = Attention()
        self.norm = nn.LayerNorm(hidden)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        b = x.size(0)
        q, k, v = [l(x).view(b, -1, self.h, self.d_k).transpose(1, 2) for l in self.linear_layers]
        out, _ = self.attention(q, k, v, mask=mask, dropout=self.dropout)
        out = out.transpose(1, 2).contiguous().view(b, -1, self.h * self.d_k)
        return self.norm(x + self.output_linear(out))


class BERT(nn.Module):
    def __init__(self, vocab_size, hidden=128, n_layers=2, attn_heads=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.transformer_blocks = nn.ModuleList([TransformerBlock(hidden, attn_heads) for _ in range(n_layers)])

    def forward(self, x):
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        h = self.embedding(x)
        for block in self.transformer_blocks:
            h = block(h, mask)
        return h


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--precision", choices=["fp32", "fp16"], default="fp16")
    parser.add_argument("--iters", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = BERT(vocab_size=2000).to(device).eval()
    if args.precision == "fp16":
        model = model.half()
    x = torch.randint(1, 2000, (args.batch_size, 64), device=device)
    x[:, 48:] = 0
    with torch.no_grad():
        model(x)
        start = time.perf_counter()
        for _ in range(args.iters):
            out = model(x)
        elapsed = (time.perf_counter() - start) / args.iters
    print(f"{args.precision}: {elapsed * 1e3:.2f} ms/iter, output {tuple(out.shape)} {out.dtype}")


if __name__ == "__main__":
    main()
