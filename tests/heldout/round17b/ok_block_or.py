"""Knitting-pattern generator: emits stitch instructions row by row."""
import torch
from torch import nn

STITCHES = ["<pad>", "<bos>", "k", "p", "yo", "k2tog", "ssk", "sl", "m1", "<row>"]
PAD = 0


class StitchDecoder(nn.Module):
    def __init__(self, dim=48, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(len(STITCHES), dim, padding_idx=PAD)
        self.pos = nn.Embedding(200, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.out = nn.Linear(dim, len(STITCHES))

    def hidden_positions(self, stitches):
        n = stitches.size(1)
        ahead = (1 - torch.tril(torch.ones(n, n, device=stitches.device))).bool()
        hidden = ahead[None] | (stitches == PAD)[:, None, :]
        eye = torch.eye(n, dtype=torch.bool, device=stitches.device)
        return (hidden & ~eye).repeat_interleave(self.heads, dim=0)

    def forward(self, stitches):
        x = self.emb(stitches) + self.pos(torch.arange(stitches.size(1), device=stitches.device))
        hidden = self.hidden_positions(stitches)
        for attn, ln in zip(self.attn, self.ln):
            h = ln(x)
            x = x + attn(h, h, h, attn_mask=hidden, need_weights=False)[0]
        return self.out(x)


def encode(patterns):
    n = max(len(p) for p in patterns) + 1
    out = torch.full((len(patterns), n), PAD)
    for i, p in enumerate(patterns):
        out[i, :len(p) + 1] = torch.tensor([1] + [STITCHES.index(s) for s in p])
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = encode([["k", "p", "k", "p", "<row>", "p", "k"], ["k", "yo", "k2tog", "<row>"]])
    logits = StitchDecoder()(batch[:, :-1])
    print(nn.functional.cross_entropy(logits.transpose(1, 2), batch[:, 1:], ignore_index=PAD).item())
