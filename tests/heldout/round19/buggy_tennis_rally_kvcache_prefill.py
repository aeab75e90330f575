"""Shot-by-shot tennis rally generator with a key/value cache for fast simulation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SHOTS = ["serve", "return", "forehand", "backhand", "volley", "smash", "lob", "drop", "slice", "winner", "error"]
BOS = len(SHOTS)
VOCAB = BOS + 1


class CachedSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, cache=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.training)  # BUG: in eval the multi-shot prefill runs without a causal mask, so prompt shots see later shots in the cache build-up
        return self.out(y.transpose(1, 2).reshape(b, t, d)), (k, v)


class RallyModel(nn.Module):
    def __init__(self, dim=64, heads=4, layers=3, max_shots=64):
        super().__init__()
        self.shot = nn.Embedding(VOCAB, dim)
        self.court = nn.Linear(4, dim)  # x, y of ball and hitter
        self.pos = nn.Embedding(max_shots, dim)
        self.attn = nn.ModuleList(CachedSelfAttention(dim, heads) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.head = nn.Linear(dim, VOCAB)

    def forward(self, shots, coords, caches=None, offset=0):
        t = shots.size(1)
        x = self.shot(shots) + self.court(coords) + self.pos(torch.arange(offset, offset + t, device=shots.device))
        new_caches = []
        for i, (ln, att) in enumerate(zip(self.ln, self.attn)):
            h, kv = att(ln(x), None if caches is None else caches[i])
            x = x + h
            new_caches.append(kv)
        return self.head(x), new_caches


@torch.no_grad()
def simulate(model, shots, coords, n_more=10):
    model.eval()
    logits, caches = model(shots, coords)
    seq = [shots]
    pos = shots.size(1)
    for _ in range(n_more):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        seq.append(nxt)
        logits, caches = model(nxt, coords[:, -1:], caches, offset=pos)
        pos += 1
    return torch.cat(seq, 1)


if __name__ == "__main__":
    m = RallyModel()
    s = torch.randint(0, len(SHOTS), (2, 5))
    c = torch.rand(2, 5, 4)
    print(simulate(m, s, c))
