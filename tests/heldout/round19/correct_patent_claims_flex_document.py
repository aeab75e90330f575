"""Claim-drafting LM for patent applications. Independent and dependent claims from several
applications are packed per row; a claim may read earlier text of its own application only."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def application_block_mask(app_ids):
    """app_ids: (B, T) long, -1 on padding."""

    def same_app_causal(b, h, q_idx, kv_idx):
        same_app = app_ids[b, q_idx] == app_ids[b, kv_idx]
        not_pad = app_ids[b, kv_idx] >= 0
        return same_app & not_pad & (kv_idx <= q_idx)

    B, T = app_ids.shape
    return create_block_mask(same_app_causal, B, None, T, T, device=app_ids.device)


class ClaimBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, block_mask):
        B, T, _ = x.shape
        q, k, v = self.qkv(self.norm1(x)).unflatten(-1, (3, self.heads, -1)).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        x = x + self.proj(y.transpose(1, 2).flatten(2))
        return x + self.mlp(self.norm2(x))


class ClaimLM(nn.Module):
    def __init__(self, vocab=4096, d=64, heads=4, layers=2, max_len=512):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(ClaimBlock(d, heads) for _ in range(layers))
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, app_ids):
        T = ids.size(1)
        bm = application_block_mask(app_ids)
        x = self.tok(ids) + self.pos(torch.arange(T, device=ids.device))
        for blk in self.blocks:
            x = blk(x, bm)
        return self.lm_head(x)


if __name__ == "__main__":
    ids = torch.randint(2, 4096, (2, 24))
    app = torch.tensor([[0] * 10 + [1] * 14, [0] * 18 + [-1] * 6])
    with torch.inference_mode():
        print(ClaimLM()(ids, app).shape)
