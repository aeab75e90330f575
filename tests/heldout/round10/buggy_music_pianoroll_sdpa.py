"""Piano-roll event model, in the style of small Music-Transformer re-implementations."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EventEmbedding(nn.Module):
    def __init__(self, n_events, d_model, max_len=2048):
        super().__init__()
        self.tok = nn.Embedding(n_events, d_model)
        self.pos = nn.Embedding(max_len, d_model)

    def forward(self, events):
        t = torch.arange(events.size(1), device=events.device)
        return self.tok(events) + self.pos(t)[None]


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = dropout

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=-1)
        q = q.view(b, t, self.n_heads, -1).transpose(1, 2)
        k = k.view(b, t, self.n_heads, -1).transpose(1, 2)
        v = v.view(b, t, self.n_heads, -1).transpose(1, 2)
        future = torch.triu(torch.ones(t, t, device=x.device), diagonal=1).bool()
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=future, dropout_p=p)  # expect: ML102
        y = y.transpose(1, 2).reshape(b, t, c)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class PianoRollLM(nn.Module):
    def __init__(self, n_events=388, d_model=64, n_heads=4, n_layers=2):
        super().__init__()
        self.emb = EventEmbedding(n_events, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_events, bias=False)

    def forward(self, events, targets=None):
        h = self.emb(events)
        for blk in self.blocks:
            h = blk(h)
        logits = self.head(self.ln_f(h))
        if targets is None:
            return logits
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PianoRollLM()
    seq = torch.randint(0, 388, (2, 33))
    logits, loss = model(seq[:, :-1], seq[:, 1:])
    print(logits.shape, round(loss.item(), 3), "ppl", round(math.exp(loss.item()), 1))
