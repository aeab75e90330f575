"""DETR-style detector head and a moment-retrieval head (sequence-first, like DETR)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from visionlab.masks import expand_per_head, mask_from_image_sizes


class DetrHead(nn.Module):
    def __init__(self, in_channels=32, hidden_dim=64, nheads=4, num_queries=10, num_classes=5):
        super().__init__()
        self.input_proj = nn.Conv2d(in_channels, hidden_dim, kernel_size=1)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(hidden_dim, nheads, 128, 0.0), 2, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(hidden_dim, nheads, 128, 0.0), 2)
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.bbox_embed = nn.Linear(hidden_dim, 4)

    def forward(self, features, image_sizes):
        # features: (N, C, H, W) backbone output, image_sizes: [(h, w), ...] in feature cells
        N, _, H, W = features.shape
        pad = mask_from_image_sizes(image_sizes, H, W, device=features.device)
        src = self.input_proj(features).flatten(2).permute(2, 0, 1)  # (HW, N, D)
        key_pad = pad.flatten(1)  # (N, HW)
        memory = self.encoder(src, src_key_padding_mask=key_pad)
        queries = self.query_embed.weight.unsqueeze(1).repeat(1, N, 1)
        tgt = torch.zeros_like(queries)
        hs = self.decoder(tgt + queries, memory, memory_key_padding_mask=key_pad)
        hs = hs.transpose(0, 1)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


class MomentHead(nn.Module):
    """Moment queries attend to video clips; each query only sees clips inside its window."""

    def __init__(self, d_model=64, nheads=4, num_queries=6):
        super().__init__()
        self.nheads = nheads
        self.queries = nn.Embedding(num_queries, d_model)
        self.cross = nn.MultiheadAttention(d_model, nheads)
        self.span = nn.Linear(d_model, 2)

    def forward(self, clips, windows):
        # clips: (S, N, D); windows: (N, Q, 2) integer [start, end) per query
        S, N, _ = clips.shape
        t = torch.arange(S, device=clips.device)
        outside = (t[None, None, :] < windows[..., :1]) | (t[None, None, :] >= windows[..., 1:])
        q = self.queries.weight.unsqueeze(1).expand(-1, N, -1)
        h, _ = self.cross(q, clips, clips, attn_mask=expand_per_head(outside, self.nheads))  # expect: ML302
        return F.relu(self.span(h)).transpose(0, 1)
