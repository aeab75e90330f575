# EXPECT: bug
"""Prefix-LM captioner: image tokens attend bidirectionally, caption tokens causally."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 25


def prefix_lm_mask(n_prefix: int, total: int) -> torch.Tensor:
    """bool (total, total), True = blocked. Prefix block fully visible, the rest causal."""
    blocked = torch.triu(torch.ones(total, total, dtype=torch.bool), diagonal=1)
    blocked[:n_prefix, :n_prefix] = False
    return blocked


class PrefixCaptioner(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, n_img=4, p=0.1):
        super().__init__()
        self.n_img = n_img
        self.img_proj = nn.Linear(10, d)
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.zeros(16, d))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, heads, 64, dropout=p, batch_first=True) for _ in range(layers)
        )
        self.lm = nn.Linear(d, VOCAB)

    def forward(self, img_feats, caption):
        x = torch.cat([self.img_proj(img_feats), self.tok(caption)], dim=1)
        x = x + self.pos[: x.size(1)]
        mask = prefix_lm_mask(self.n_img, x.size(1))
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)  # BUG-SITE
        return self.lm(x[:, self.n_img:])


def run():
    torch.manual_seed(0)
    model = PrefixCaptioner()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3)
    img = torch.randn(2, 4, 10)
    cap = torch.randint(0, VOCAB, (2, 7))
    inp, tgt = cap[:, :-1], cap[:, 1:]

    model.train()
    logits = model(img, inp)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        out = model(img, inp)
    return [loss.detach(), out]
