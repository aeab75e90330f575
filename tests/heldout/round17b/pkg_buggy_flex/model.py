"""Small decoder that runs its attention through FlexAttention block masks."""
import torch
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

from .packing import make_mask_mod


class FlexBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, block_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)  # expect: ML102
        x = x + self.proj(y.transpose(1, 2).reshape(b, n, d))
        return x + self.mlp(self.ln2(x))


class ChatLM(nn.Module):
    def __init__(self, vocab=2000, dim=64, heads=4, layers=2, max_len=128):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(FlexBlock(dim, heads) for _ in range(layers))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, doc_ids):
        b, n = ids.shape
        mask_mod = make_mask_mod(doc_ids)
        block_mask = create_block_mask(mask_mod, b, None, n, n, device=ids.device)
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.head(x)
