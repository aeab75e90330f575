"""Patchwork quilt block generator.

A block is a 6x6 grid of patches read in row-major order; each patch is a
(shape, fabric) pair. Attention masks are supplied by a forward pre-hook, so the
blocks stay usable in the bidirectional block classifier too.
"""
import torch
import torch.nn as nn

SHAPES = ("square", "hst_nw", "hst_ne", "hst_sw", "hst_se", "qst", "flying_goose", "snowball")


class CausalMaskHook:
    """Forward pre-hook giving a self-attention call the causal mask for its length."""

    def __init__(self):
        self._cache = {}

    def __call__(self, module, args, kwargs):
        query = args[0]
        n = query.size(1)
        if n not in self._cache:
            self._cache[n] = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        kwargs["attn_mask"] = self._cache[n].to(query.device)
        kwargs["is_causal"] = True
        return args, kwargs


class PatchBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.n1(x)
        a, _ = self.attn(h, h, h, need_weights=False)
        x = x + a
        return x + self.ff(self.n2(x))


class QuiltBlockLM(nn.Module):
    def __init__(self, n_fabrics=200, dim=64, heads=4, depth=3, grid=6):
        super().__init__()
        self.shape = nn.Embedding(len(SHAPES), dim)
        self.fabric = nn.Embedding(n_fabrics, dim)
        self.cell = nn.Embedding(grid * grid, dim)
        self.blocks = nn.ModuleList(PatchBlock(dim, heads) for _ in range(depth))
        self.hook = CausalMaskHook()
        self.handles = [b.attn.register_forward_pre_hook(self.hook, with_kwargs=True)
                        for b in self.blocks]
        self.next_shape = nn.Linear(dim, len(SHAPES))
        self.next_fabric = nn.Linear(dim, n_fabrics)

    def forward(self, shape, fabric):
        n = shape.size(1)
        x = self.shape(shape) + self.fabric(fabric) + self.cell(torch.arange(n, device=shape.device))
        for blk in self.blocks:
            x = blk(x)
        return self.next_shape(x), self.next_fabric(x)
