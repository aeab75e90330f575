# EXPECT: bug
"""Point-cloud set classifier: clouds have different point counts and are padded."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pad_clouds(clouds):
    n = max(c.size(0) for c in clouds)
    pts = torch.zeros(len(clouds), n, 3)
    valid = torch.zeros(len(clouds), n)
    for i, c in enumerate(clouds):
        pts[i, : c.size(0)] = c
        valid[i, : c.size(0)] = 1.0
    return pts, valid


class SetAttentionBlock(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.h, self.p = heads, p
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, valid):
        B, P, D = x.shape
        q, k, v = self.qkv(x).view(B, P, 3, self.h, D // self.h).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        attn_mask = valid[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        return self.ln(x + self.o(y.transpose(1, 2).reshape(B, P, D)))


class PointSetNet(nn.Module):
    def __init__(self, d=32, heads=4, n_cls=3, p=0.1):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(3, d), nn.ReLU(), nn.Linear(d, d))
        self.sab = SetAttentionBlock(d, heads, p)
        self.head = nn.Sequential(nn.Dropout(p), nn.Linear(d, n_cls))

    def forward(self, pts, valid):
        h = self.sab(self.embed(pts), valid)
        h = h.masked_fill(valid[..., None] == 0, float("-inf")).amax(1)
        return self.head(h)


def run():
    torch.manual_seed(0)
    pts, valid = pad_clouds([torch.randn(12, 3), torch.randn(12, 3), torch.randn(7, 3)])
    labels = torch.tensor([2, 0, 1])
    model = PointSetNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)

    model.train()
    loss = F.cross_entropy(model(pts, valid), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(pts, valid)
    return [loss.detach(), logits]
