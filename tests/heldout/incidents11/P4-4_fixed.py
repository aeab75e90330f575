import math

import torch
import torch.nn as nn


class TransformerLM(nn.Module):
    def __init__(self, ntoken, ninp=32, nhead=4, nhid=64, nlayers=1, dropout=0.0):
        super().__init__()
        self.src_emb = nn.Embedding(ntoken, ninp)
        self.transformer = nn.Transformer(ninp, nhead, nlayers, nlayers, nhid, dropout)
        self.out = nn.Linear(ninp, ntoken)
        self.ninp = ninp
        self.mask = None

    def _generate_mask(self, sz):
        if self.mask is None or self.mask.size(0) != sz:
            self.mask = torch.triu(torch.ones(sz, sz, dtype=torch.bool), diagonal=1)
        return self.mask

    def forward(self, src):
        mask = self._generate_mask(src.size(0))
        x = self.src_emb(src) * math.sqrt(self.ninp)
        h = self.transformer(x, x, mask, mask, mask)
        return self.out(h)

    @torch.no_grad()
    def generate(self, prompt, steps):
        seq = prompt
        for _ in range(steps):
            nxt = self(seq)[-1].argmax(-1, keepdim=True).T
            seq = torch.cat([seq, nxt], dim=0)
        return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = TransformerLM(ntoken=40).eval()
    seq = torch.randint(0, 40, (9, 2))
    alt = seq.clone()
    alt[-1] = (alt[-1] + 1) % 40
    with torch.no_grad():
        d = (lm(seq)[:-1] - lm(alt)[:-1]).abs().max().item()
    print(f"prefix change when last token changes: {d:.3e}")
