"""Patent-claim similarity encoder with an SDPA path and an eager path (same weights)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ClaimAttention(nn.Module):
    def __init__(self, hidden, heads, use_sdpa=True):
        super().__init__()
        self.heads, self.use_sdpa = heads, use_sdpa
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)

    def forward(self, x, attention_mask):
        B, S, H = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if self.use_sdpa:
            mask = attention_mask.unsqueeze(1).unsqueeze(2).bool()
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            ext = attention_mask[:, None, None, :]
            scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
            scores = scores.masked_fill(ext == 0, torch.finfo(scores.dtype).min)
            ctx = scores.softmax(-1) @ v
        return x + self.out(ctx.transpose(1, 2).reshape(B, S, H))


class ClaimEncoder(nn.Module):
    def __init__(self, vocab=4000, hidden=32, heads=4, use_sdpa=True):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(ClaimAttention(hidden, heads, use_sdpa) for _ in range(2))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for layer in self.layers:
            x = layer(x, attention_mask)
        w = attention_mask.unsqueeze(-1).float()
        return F.normalize((x * w).sum(1) / w.sum(1), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 4000, (2, 14))
    att = torch.ones(2, 14, dtype=torch.long)
    att[0, 9:] = 0
    a = ClaimEncoder(use_sdpa=True)
    b = ClaimEncoder(use_sdpa=False)
    b.load_state_dict(a.state_dict())
    print("paths agree", torch.allclose(a(ids, att), b(ids, att), atol=1e-5))
