import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW = 8


def sliding_window_causal(b, h, q_idx, kv_idx):
    return (kv_idx > q_idx) | (q_idx - kv_idx > WINDOW)


class FlexAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)

    def forward(self, x, block_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class MistralStyleLM(nn.Module):
    def __init__(self, vocab=512, dim=64, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.attn = nn.ModuleList(FlexAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.RMSNorm(dim), nn.Linear(dim, 2 * dim), nn.SiLU(), nn.Linear(2 * dim, dim))
                                 for _ in range(depth))
        self.norms = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, tokens):
        n = tokens.size(1)
        block_mask = create_block_mask(sliding_window_causal, None, None, n, n, device=tokens.device)  # expect: ML102
        x = self.embed(tokens)
        for norm, attn, mlp in zip(self.norms, self.attn, self.mlp):
            x = x + attn(norm(x), block_mask)
            x = x + mlp(x)
        return self.head(x)

    def loss(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())


if __name__ == "__main__":
    model = MistralStyleLM()
    with torch.no_grad():
        print(model.loss(torch.randint(0, 512, (2, 33))).item())
