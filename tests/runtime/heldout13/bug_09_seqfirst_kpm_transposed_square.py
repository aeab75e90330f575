# EXPECT: bug
"""Seq-first (S, N) encoder where the padding mask is computed directly from the
(S, N) token tensor.  nn.TransformerEncoder wants (N, S); here S == N == 6, so
the transposed mask passes every shape check and masks the wrong keys."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class SeqFirstEncoder(nn.Module):
    def __init__(self, vocab=70, d=32, heads=4, dropout=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(16, 1, d))
        layer = nn.TransformerEncoderLayer(d, heads, 64, dropout)  # batch_first=False
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.proj = nn.Linear(d, 2)

    def forward(self, src):  # src: (S, N)
        kpm = src == PAD
        h = self.emb(src) + self.pos[: src.size(0)]
        h = self.enc(h, src_key_padding_mask=kpm)  # BUG-SITE
        return self.proj(h[0])  # first token as [CLS]


def run():
    torch.manual_seed(9)
    lens = [6, 2, 5, 6, 3, 4]
    src = torch.zeros(6, len(lens), dtype=torch.long)
    for b, n in enumerate(lens):
        src[:n, b] = torch.randint(1, 70, (n,))
    y = torch.tensor([1, 0, 0, 1, 1, 0])
    model = SeqFirstEncoder()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    model.train()
    logits = model(src)
    loss = F.cross_entropy(logits, y)
    opt.zero_grad()
    loss.backward()
    g = model.pos.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src)
    return [loss.detach(), g, ev]
