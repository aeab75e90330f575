"""Masks whose polarity cannot be known statically: produced by third-party helpers, loaded
from a batch under a non-standard key, or passed in by the caller.  Unknown is silent."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from fairseq.utils import make_positions
from mylab.masking import build_attention_mask, get_block_mask


class HybridEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)

    def forward(self, x, batch, cfg):
        attn_mask = build_attention_mask(cfg, x.size(1), device=x.device)
        h, _ = self.attn(x, x, x, attn_mask=attn_mask, need_weights=False)
        pad = batch["frame_padding"]
        h = self.encoder(h, src_key_padding_mask=pad)
        positions = make_positions(batch["tokens"], padding_idx=1)
        return h, positions

    def sdpa(self, q, k, v, layout):
        mask = get_block_mask(layout)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    def external(self, x, mask=None):
        return self.attn(x, x, x, attn_mask=mask, need_weights=False)[0]
