"""Log-line language model for anomaly detection with sliding-window causal flex attention."""
import warnings

import torch
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
WINDOW = 6


def sliding_causal(b, h, q_idx, kv_idx):
    return (kv_idx <= q_idx) & (q_idx - kv_idx < WINDOW)


class LocalAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return self.o(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(B, T, D))


class LogLM(nn.Module):
    def __init__(self, vocab=300, dim=48, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(LocalAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        T = ids.size(1)
        bm = create_block_mask(sliding_causal, None, None, T, T, device=ids.device.type)
        x = self.emb(ids)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), bm)
        return self.head(x)

    @torch.no_grad()
    def surprisal(self, ids):
        lp = self(ids[:, :-1]).log_softmax(-1)
        return -lp.gather(-1, ids[:, 1:, None]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(0, 300, (2, 20))
    print("mean surprisal", LogLM().surprisal(ids).mean().item())
