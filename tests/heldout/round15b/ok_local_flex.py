import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def sliding_window(window):
    def mask_mod(b, h, q_idx, kv_idx):
        return (kv_idx <= q_idx) & (q_idx - kv_idx <= window)
    return mask_mod


class WindowAttention(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.heads, self.window = heads, window
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, -1))
        block_mask = create_block_mask(sliding_window(self.window), None, None, n, n, device=x.device)
        out = flex_attention(q, k, v, block_mask=block_mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class WindowLM(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4, depth=2, window=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(WindowAttention(dim, heads, window) for _ in range(depth))
        self.logits = nn.Linear(dim, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        for layer in self.layers:
            x = x + layer(x)
        return self.logits(x)


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    ids = torch.randint(0, 50, (2, 10))
    with torch.no_grad():
        print("eval nll", nn.functional.cross_entropy(WindowLM()(ids[:, :-1]).transpose(1, 2), ids[:, 1:]).item())
