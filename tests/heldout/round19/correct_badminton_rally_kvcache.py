"""Badminton stroke-sequence model with incremental decoding for rally simulation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

STROKES = ["serve", "clear", "drop", "smash", "drive", "net_shot", "lift", "push", "block", "kill"]
START = len(STROKES)


class KVAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, past=None):
        q = self.split(self.q(x))
        k, v = map(self.split, self.kv(x).chunk(2, dim=-1))
        if past is not None:
            k = torch.cat((past[0], k), dim=-2)
            v = torch.cat((past[1], v), dim=-2)
        # prompt pass: square causal; single-token steps see the whole cache
        causal = past is None and q.size(-2) > 1
        y = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        y = y.transpose(1, 2).flatten(2)
        return self.o(y), (k, v)


class StrokeGPT(nn.Module):
    def __init__(self, dim=48, heads=4, depth=2, ctx=80):
        super().__init__()
        self.emb = nn.Embedding(START + 1, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(KVAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, len(STROKES))

    def forward(self, ids, past=None):
        start = 0 if past is None else past[0][0].size(-2)
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1), device=ids.device))
        present = []
        for i, (norm, blk) in enumerate(zip(self.norms, self.blocks)):
            h, kv = blk(norm(x), None if past is None else past[i])
            x = x + h
            present.append(kv)
        return self.head(x), present


@torch.no_grad()
def rally(model, prompt, steps=8):
    model.eval()
    logits, past = model(prompt)
    out = prompt
    for _ in range(steps):
        nxt = logits[:, -1:].argmax(-1)
        out = torch.cat([out, nxt], dim=1)
        logits, past = model(nxt, past)
    return out


if __name__ == "__main__":
    net = StrokeGPT()
    p = torch.tensor([[START, 0, 1, 3]])
    print(rally(net, p))
