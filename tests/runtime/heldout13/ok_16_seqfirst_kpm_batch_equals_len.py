# EXPECT: ok
"""Seq-first nn.MultiheadAttention pooling over (S, N) token tensors with
S == N == 6.  The padding mask is transposed to (N, S) before use, as the API
wants, even though the untransposed (S, N) mask would have the same shape."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class AttnPoolClassifier(nn.Module):
    def __init__(self, vocab=70, d=32, heads=4, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(16, 1, d))
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=p)  # (S, N, E)
        self.pool_query = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.pool = nn.MultiheadAttention(d, heads, dropout=p)
        self.out = nn.Linear(d, 2)

    def forward(self, src):  # (S, N)
        kpm = (src == PAD).transpose(0, 1)  # (N, S)
        h = self.emb(src) + self.pos[: src.size(0)]
        h = h + self.self_attn(h, h, h, key_padding_mask=kpm)[0]
        q = self.pool_query.expand(1, src.size(1), -1)
        pooled, _ = self.pool(q, h, h, key_padding_mask=kpm)
        return self.out(pooled[0])


def run():
    torch.manual_seed(116)
    lens = [6, 2, 5, 6, 3, 4]
    src = torch.zeros(6, 6, dtype=torch.long)
    for b, n in enumerate(lens):
        src[:n, b] = torch.randint(1, 70, (n,))
    y = torch.tensor([1, 0, 0, 1, 1, 0])
    model = AttnPoolClassifier()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    model.train()
    loss = F.cross_entropy(model(src), y)
    opt.zero_grad()
    loss.backward()
    g = model.pos.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src)
    return [loss.detach(), g, ev]
