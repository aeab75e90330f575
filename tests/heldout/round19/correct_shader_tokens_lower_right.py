"""Code model for GLSL fragment shaders, with chunked prefill: long sources are fed in chunks of
`chunk` tokens against a growing cache. Uses torch's lower-right causal bias for the chunk/cache alignment."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class ChunkedAttention(nn.Module):
    def __init__(self, d, n_heads):
        super().__init__()
        self.h = n_heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache:
            k = torch.cat([cache["k"], k], dim=2)
            v = torch.cat([cache["v"], v], dim=2)
        cache["k"], cache["v"] = k, v
        bias = causal_lower_right(T, k.size(2))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class ShaderLM(nn.Module):
    def __init__(self, vocab=1024, d=64, n_heads=4, layers=2, max_len=1024):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(ChunkedAttention(d, n_heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, caches, offset):
        x = self.tok(ids) + self.pos(torch.arange(offset, offset + ids.size(1), device=ids.device))
        for blk, norm, cache in zip(self.blocks, self.norms, caches):
            x = x + blk(norm(x), cache)
        return self.head(x)


@torch.no_grad()
def score_source(model, ids, chunk=16):
    """Token log-likelihood of a long shader, computed chunk by chunk."""
    model.eval()
    caches = [dict() for _ in model.blocks]
    logps = []
    for start in range(0, ids.size(1) - 1, chunk):
        piece = ids[:, start : start + chunk]
        logits = model(piece, caches, start)
        target = ids[:, start + 1 : start + 1 + piece.size(1)]
        lp = F.log_softmax(logits[:, : target.size(1)], -1).gather(-1, target[..., None]).squeeze(-1)
        logps.append(lp)
    return torch.cat(logps, 1)


if __name__ == "__main__":
    src = torch.randint(0, 1024, (1, 70))
    print(score_source(ShaderLM(), src).sum())
