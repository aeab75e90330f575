# EXPECT: bug
"""Encoder on SDPA with a per-sample (N, S, S) padding mask passed without a
head axis.  SDPA broadcasts it as (1, N, S, S): with batch 4 == heads 4 this
passes silently and head i uses sample i's padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class MHSA(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.heads, self.p = heads, p
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, x, pair_mask):
        B, S, D = x.shape
        sh = lambda t: t.view(B, S, self.heads, -1).transpose(1, 2)  # noqa: E731
        out = F.scaled_dot_product_attention(sh(self.q(x)), sh(self.k(x)), sh(self.v(x)),  # BUG-SITE
                                             attn_mask=pair_mask,
                                             dropout_p=self.p if self.training else 0.0)
        return self.o(out.transpose(1, 2).reshape(B, S, D))


class SentimentModel(nn.Module):
    def __init__(self, vocab=150, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.layers = nn.ModuleList([MHSA(d), MHSA(d)])
        self.norms = nn.ModuleList([nn.LayerNorm(d), nn.LayerNorm(d)])
        self.cls = nn.Linear(d, 2)

    def forward(self, ids):
        valid = ids != PAD
        pair_mask = valid[:, None, :].expand(-1, ids.size(1), -1)  # (N, S, S), True = attend
        x = self.emb(ids)
        for attn, norm in zip(self.layers, self.norms):
            x = norm(x + attn(x, pair_mask))
        v = valid[..., None].float()
        return self.cls((x * v).sum(1) / v.sum(1))


def run():
    torch.manual_seed(24)
    ids = torch.randint(1, 150, (4, 10))
    ids[0, 6:] = PAD
    ids[2, 3:] = PAD
    ids[3, 9:] = PAD
    labels = torch.tensor([1, 0, 0, 1])
    model = SentimentModel()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(ids), labels)
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids).softmax(-1)
    return [loss.detach(), g, ev]
