# EXPECT: bug
"""SASRec-style next-item recommender with per-sample (causal | padding) masks
stacked for nn.MultiheadAttention with .repeat(num_heads, 1, 1).  MHA indexes
the 3-D mask as b * num_heads + h, so sample b gets other samples' padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SASRecBlock(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.num_heads = heads
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Dropout(p), nn.Linear(d, d))
        self.ln_a, self.ln_f = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, block_mask):  # block_mask: (N, L, L), True = blocked
        mask3d = block_mask.repeat(self.num_heads, 1, 1)
        q = self.ln_a(x)
        a, _ = self.attn(q, x, x, attn_mask=mask3d, need_weights=False)  # BUG-SITE
        x = x + a
        return x + self.ffn(self.ln_f(x))


class SASRec(nn.Module):
    def __init__(self, n_items=80, d=32, heads=2, blocks=2, max_len=8, p=0.2):
        super().__init__()
        self.item = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(SASRecBlock(d, heads, p) for _ in range(blocks))
        self.drop = nn.Dropout(p)

    def build_mask(self, seq):
        L = seq.size(1)
        future = torch.ones(L, L, dtype=torch.bool).triu(1)
        pad_key = (seq == 0)[:, None, :]
        return future[None] | pad_key

    def forward(self, seq):
        x = self.drop(self.item(seq) + self.pos.weight[: seq.size(1)])
        m = self.build_mask(seq)
        for blk in self.blocks:
            x = blk(x, m)
        return x @ self.item.weight.t()


def run():
    torch.manual_seed(8)
    seq = torch.randint(1, 81, (3, 9))
    seq[0, 5:] = 0   # right-padded histories of different lengths
    seq[2, 7:] = 0
    inp, tgt = seq[:, :-1], seq[:, 1:]
    model = SASRec()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    scores = model(inp)
    loss = F.cross_entropy(scores.reshape(-1, 81), tgt.reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    g = model.item.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        top = model(inp)[:, -1].softmax(-1)
    return [loss.detach(), g, top]
