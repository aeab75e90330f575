# EXPECT: bug
"""Linear probe on a frozen FlexAttention sentence encoder (the backbone is frozen, so the
CPU flex kernels never need a backward)."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def padding_mask_mod(lengths):
    def mask_mod(b, h, q_idx, kv_idx):
        # padded keys must be masked out
        return kv_idx >= lengths[b]
    return mask_mod


class FlexEncoderLayer(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.n1 = nn.LayerNorm(dim)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.drop = nn.Dropout(p)

    def forward(self, x, block_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(self.n1(x)).view(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        o = flex_attention(q, k, v, block_mask=block_mask)  # BUG-SITE
        x = x + self.drop(self.proj(o.transpose(1, 2).reshape(B, L, D)))
        return x + self.drop(self.mlp(self.n2(x)))


class FlexEncoder(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4, depth=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(64, dim)
        self.layers = nn.ModuleList([FlexEncoderLayer(dim, heads, p) for _ in range(depth)])

    def forward(self, ids, lengths):
        B, L = ids.shape
        block_mask = create_block_mask(padding_mask_mod(lengths), B, None, L, L, device="cpu")
        x = self.emb(ids) + self.pos(torch.arange(L))
        for layer in self.layers:
            x = layer(x, block_mask)
        keep = (torch.arange(L)[None] < lengths[:, None]).unsqueeze(-1)
        return (x * keep).sum(1) / keep.sum(1)


class Probe(nn.Module):
    def __init__(self, backbone, dim=32, n_classes=4, p=0.2):
        super().__init__()
        self.backbone = backbone.requires_grad_(False)
        self.head = nn.Sequential(nn.Dropout(p), nn.Linear(dim, n_classes))

    def forward(self, ids, lengths):
        return self.head(self.backbone(ids, lengths))


def run():
    torch.manual_seed(0)
    model = Probe(FlexEncoder())
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1, momentum=0.9)
    lengths = torch.tensor([16, 11, 5, 8])
    ids = torch.randint(1, 50, (4, 16)) * (torch.arange(16)[None] < lengths[:, None])
    y = torch.tensor([0, 3, 1, 2])
    model.train()
    loss = nn.functional.cross_entropy(model(ids, lengths), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids, lengths)
    return [loss.detach(), ev]
