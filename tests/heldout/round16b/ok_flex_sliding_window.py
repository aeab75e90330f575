import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW = 8


def sliding_window_causal(b, h, q_idx, kv_idx):
    too_far = q_idx - kv_idx > WINDOW
    future = kv_idx > q_idx
    return ~(too_far | future)


class LocalLM(nn.Module):
    def __init__(self, vocab=512, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim, bias=False) for _ in range(depth))
        self.out = nn.ModuleList(nn.Linear(dim, dim, bias=False) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens):
        b, n = tokens.shape
        block_mask = create_block_mask(sliding_window_causal, None, None, n, n, device=tokens.device)
        x = self.embed(tokens)
        for qkv, out in zip(self.qkv, self.out):
            q, k, v = qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            x = x + out(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(b, n, -1))
        return self.head(x)


if __name__ == "__main__":
    t = torch.randint(0, 512, (2, 33))
    with torch.no_grad():
        print(F.cross_entropy(LocalLM()(t[:, :-1]).flatten(0, 1), t[:, 1:].flatten()).item())
