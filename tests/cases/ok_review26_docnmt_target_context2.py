"""Context-aware NMT layer with target-side context: the decoder cross-attends to the encoding of
the previous target sentence, masked by that sentence's padding. Correct."""
import torch
import torch.nn as nn


class ContextDecoderLayer(nn.Module):
    def __init__(self, d=128, h=4, pad=0):
        super().__init__()
        self.pad = pad
        self.self_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ctx_attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, y, ctx_enc, prev_tgt):
        t = y.size(1)
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=y.device), 1)
        y = y + self.self_attn(y, y, y, attn_mask=causal)[0]
        y = y + self.ctx_attn(y, ctx_enc, ctx_enc, key_padding_mask=prev_tgt == self.pad)[0]
        return y


class TargetSpeakerExtractor(nn.Module):
    """Mixture frames attend to an enrollment clip of the target speaker."""

    def __init__(self, d=128, h=4):
        super().__init__()
        self.ref_in = nn.Linear(80, d)
        self.cross = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, target_feats):
        cond = self.ref_in(target_feats)
        target_pad = (target_feats == 0).all(-1)          # (B, S): silent padded frames
        y, _ = self.cross(x, cond, cond, key_padding_mask=target_pad)
        return y
