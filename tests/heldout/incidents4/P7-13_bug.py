import argparse
import math

import torch
import torch.nn as nn


def attention(query, key, value, mask=None, dropout=None):
    d_k = query.size(-1)
    scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e10)  # BUG
    p_attn = scores.softmax(dim=-1)
    if dropout is not None:
        p_attn = dropout(p_attn)
    return torch.matmul(p_attn, value)


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.1):
        super().__init__()
        self.d_k, self.h = d_model // h, h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        b = x.size(0)
        q, k, v = [lin(x).view(b, -1, self.h, self.d_k).transpose(1, 2) for lin in self.linears[:3]]
        out = attention(q, k, v, mask=mask.unsqueeze(1), dropout=self.dropout)
        return self.linears[-1](out.transpose(1, 2).contiguous().view(b, -1, self.h * self.d_k))


class Classifier(nn.Module):
    def __init__(self, vocab=1000, d_model=64, h=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=0)
        self.attn = MultiHeadedAttention(h, d_model)
        self.out = nn.Linear(d_model, 2)

    def forward(self, src):
        mask = (src != 0).unsqueeze(-2)
        h = self.attn(self.embed(src), mask)
        return self.out(h[:, 0])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--amp", action="store_true", default=True)
    args = parser.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    amp_dtype = torch.float16 if device == "cuda" else torch.bfloat16
    model = Classifier().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler(device, enabled=args.amp and device == "cuda")
    for step in range(args.steps):
        src = torch.randint(1, 1000, (16, 20), device=device)
        src[:, 15:] = 0
        labels = (src[:, 0] % 2).long()
        with torch.autocast(device_type=device, dtype=amp_dtype, enabled=args.amp):
            loss = nn.functional.cross_entropy(model(src), labels)
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        print(f"step {step} loss {loss.item():.4f}")
