import torch
import torch.nn as nn
import torch.nn.functional as F

from .masks import causal_bias, combine, key_keep, padding_bias

STEPS = ("<pad>", "received", "sorted", "cart", "floor_drop", "desk_drop", "signed", "returned", "forwarded")


class RoutingAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def split(self, x):
        B, T, _ = x.shape
        return self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)

    def forward(self, x, bias):
        q, k, v = self.split(x)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).flatten(2)), (k, v)

    def step(self, x, cache, key_ok):
        # one new position: it may read every cached key that is not padding
        q, k, v = self.split(x)
        k = torch.cat([cache[0], k], dim=2)
        v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=key_keep(key_ok))
        return self.o(y.transpose(1, 2).flatten(2)), (k, v)


class RoutingScanModel(nn.Module):
    def __init__(self, n_desks=300, d=32, heads=4, depth=2):
        super().__init__()
        self.step_emb = nn.Embedding(len(STEPS), d, padding_idx=0)
        self.desk = nn.Embedding(n_desks, d)
        self.attn = nn.ModuleList(RoutingAttention(d, heads) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.next_step = nn.Linear(d, len(STEPS))

    def forward(self, steps, desks):
        x = self.step_emb(steps) + self.desk(desks)
        valid = steps != 0
        bias = combine(causal_bias(steps.size(1), x.dtype, x.device), padding_bias(valid, x.dtype))
        caches = []
        for ln, attn in zip(self.ln, self.attn):
            a, kv = attn(ln(x), bias)
            x = x + a
            caches.append(kv)
        return self.next_step(x), caches

    def step(self, steps, desks, caches, key_ok):
        x = self.step_emb(steps) + self.desk(desks)
        new = []
        for ln, attn, cache in zip(self.ln, self.attn, caches):
            a, kv = attn.step(ln(x), cache, key_ok)
            x = x + a
            new.append(kv)
        return self.next_step(x), new


@torch.no_grad()
def predict_next_steps(model, steps, desks, n=3, half=False):
    model.eval()
    if half:
        model = model.half()
    logits, caches = model(steps, desks)
    key_ok = steps != 0
    last = key_ok.sum(1) - 1
    rows = torch.arange(steps.size(0))
    nxt = logits[rows, last].argmax(-1, keepdim=True)
    desk = desks[rows, last][:, None]
    out = [nxt]
    for _ in range(n - 1):
        key_ok = torch.cat([key_ok, torch.ones_like(nxt, dtype=torch.bool)], dim=1)
        logits, caches = model.step(nxt, desk, caches, key_ok)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
    return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoutingScanModel()
    steps = torch.tensor([[1, 2, 3, 4, 0, 0], [1, 2, 3, 4, 5, 6]])
    desks = torch.randint(0, 300, (2, 6))
    logits, _ = model(steps, desks)
    F.cross_entropy(logits[:, :-1].transpose(1, 2), steps[:, 1:], ignore_index=0).backward()
    print(predict_next_steps(model, steps, desks).tolist(), predict_next_steps(model, steps, desks, half=True).tolist())
