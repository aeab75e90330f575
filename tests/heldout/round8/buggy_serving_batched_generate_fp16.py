"""Batched greedy generation server loop running a small GPT in float16.
Prompts are LEFT padded so that all sequences end at the same column; the
attention bias combines a causal bias with a padding bias (HF-style
"(1 - mask) * min" additive masks)."""
import math

import torch
import torch.nn as nn

MASK_MIN = torch.finfo(torch.float32).min  # expect: ML205


def additive(keep: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return (1.0 - keep.to(dtype)) * MASK_MIN


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(q.size(-1)) + bias
        y = att.softmax(-1) @ v
        x = x + self.o(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab=320, d=64, h=4, n=2, ctx=128):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, attention_mask):
        L = ids.size(1)
        pos = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        x = self.tok(ids) + self.pos(pos)
        causal = torch.ones(L, L, dtype=torch.bool, device=ids.device).tril()
        bias = additive(causal, x.dtype)[None, None] + additive(attention_mask.bool(), x.dtype)[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, bias)
        return self.head(self.ln(x))


@torch.no_grad()
def generate(model, prompts, steps, pad_id=0):
    L = max(map(len, prompts))
    ids = torch.full((len(prompts), L), pad_id)
    am = torch.zeros(len(prompts), L, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, L - len(p):], am[i, L - len(p):] = torch.tensor(p), 1
    for _ in range(steps):
        logits = model(ids, am)
        nxt = logits[:, -1].float().argmax(-1, keepdim=True)
        ids, am = torch.cat([ids, nxt], 1), torch.cat([am, torch.ones_like(nxt)], 1)
    return ids, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT().half().eval()
    ids, logits = generate(model, [[5, 6, 7, 8, 9, 10], [40, 41]], steps=3)
    print("NaN in last-step logits per request:", torch.isnan(logits[:, -1]).any(-1).tolist())
    print("generated:", ids[:, -3:].tolist())
    assert torch.isnan(logits).any()
    print("FAILURE SHOWN: float32 min overflows to -inf in fp16; fully padded rows give NaN that spreads")
