"""DETR-style set prediction: a TransformerDecoder over learned object queries.

The queries are a set, not a sequence generated left to right, so the decoder correctly has
no causal tgt_mask; the image padding is masked in the encoder and in cross-attention.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DETRHead(nn.Module):
    def __init__(self, num_classes, hidden_dim=256, nheads=8, num_encoder_layers=6, num_decoder_layers=6, num_queries=100):
        super().__init__()
        self.input_proj = nn.Conv2d(2048, hidden_dim, kernel_size=1)
        enc = nn.TransformerEncoderLayer(hidden_dim, nheads, 2048, 0.1)
        dec = nn.TransformerDecoderLayer(hidden_dim, nheads, 2048, 0.1)
        self.encoder = nn.TransformerEncoder(enc, num_encoder_layers)
        self.decoder = nn.TransformerDecoder(dec, num_decoder_layers, norm=nn.LayerNorm(hidden_dim))
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.bbox_embed = nn.Linear(hidden_dim, 4)

    def forward(self, features, pixel_mask, pos_embed):
        # features: (N, 2048, H, W); pixel_mask: (N, H, W), True on padded pixels
        src = self.input_proj(features)
        bs, c, h, w = src.shape
        src = src.flatten(2).permute(2, 0, 1)  # (HW, N, C)
        pos = pos_embed.flatten(2).permute(2, 0, 1)
        mask = pixel_mask.flatten(1)  # (N, HW)
        query_pos = self.query_embed.weight.unsqueeze(1).repeat(1, bs, 1)
        tgt = torch.zeros_like(query_pos)
        memory = self.encoder(src + pos, src_key_padding_mask=mask)
        hs = self.decoder(tgt + query_pos, memory + pos, memory_key_padding_mask=mask)
        hs = hs.transpose(0, 1)  # (N, num_queries, C)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


def set_loss(pred_logits, target_classes):
    return F.cross_entropy(pred_logits.transpose(1, 2), target_classes)
