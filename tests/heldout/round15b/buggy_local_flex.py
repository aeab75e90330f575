import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


class LocalAttention(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.heads, self.window = heads, window
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        w = self.window
        out = flex_attention(
            q, k, v,
            block_mask=create_block_mask(lambda b, h, qi, ki: (qi - ki > w) | (ki > qi), None, None, n, n, device=x.device),  # expect: ML102
        )
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class LocalLM(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4, depth=2, window=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(LocalAttention(dim, heads, window) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.logits = nn.Linear(dim, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x))
        return self.logits(x)


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    lm = LocalLM()
    ids = torch.randint(0, 50, (2, 10))
    with torch.no_grad():
        nll = nn.functional.cross_entropy(lm(ids[:, :-1]).transpose(1, 2), ids[:, 1:])
    print("eval nll", nll.item())
