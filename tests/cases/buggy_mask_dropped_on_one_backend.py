"""A mask prepared and then set to None on one backend or configuration (HF GPT-2's SDPA branch,
transformers PR#47946, P5-3): on that path the attention gets no mask at all."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CrossBlock(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.q, self.kv = nn.Linear(d, d), nn.Linear(d, 2 * d)

    def forward(self, x, memory, memory_mask=None):
        b, t, d = x.shape
        q = self.q(x).view(b, t, self.heads, -1).transpose(1, 2)
        k, v = self.kv(memory).view(b, memory.size(1), 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=memory_mask).transpose(1, 2).reshape(b, t, d)


class Captioner(nn.Module):
    def __init__(self, vocab=100, d=16, impl="sdpa"):
        super().__init__()
        self.impl = impl
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList([CrossBlock(d) for _ in range(2)])

    def forward(self, ids, image_feats, image_mask=None):
        if image_mask is None:
            image_mask = torch.ones(image_feats.shape[:2], dtype=torch.bool, device=image_feats.device)
        image_mask = image_mask[:, None, None, :].bool()
        if self.impl == "sdpa":
            image_mask = None  # expect: ML504
        h = self.emb(ids)
        for blk in self.blocks:
            h = h + blk(h, image_feats, image_mask)
        return h


class Reader(nn.Module):
    def __init__(self, vocab=100, d=16, pad_id=0, use_flash=False):
        super().__init__()
        self.pad_id, self.use_flash = pad_id, use_flash
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.layer = nn.TransformerEncoderLayer(d, 2, batch_first=True)

    def forward(self, ids):
        key_padding_mask = ids.eq(self.pad_id)
        if self.use_flash:
            key_padding_mask = None  # expect: ML504
        return self.layer(self.emb(ids), src_key_padding_mask=key_padding_mask)
