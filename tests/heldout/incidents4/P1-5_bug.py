import torch
from torch import nn


class PatchEmbedding(nn.Module):
    def __init__(self, n_chans, emb_size, patch_len):
        super().__init__()
        self.patch_len = patch_len
        self.proj = nn.Conv1d(n_chans, emb_size, kernel_size=patch_len, stride=patch_len)

    def forward(self, x, lengths):
        tokens = self.proj(x).transpose(1, 2)
        n_patches = (lengths + self.patch_len - 1) // self.patch_len
        positions = torch.arange(tokens.shape[1], device=x.device)
        valid = positions[None, :] < n_patches[:, None]
        return tokens, valid


class _TransformerBlock(nn.Module):
    def __init__(self, emb_size, num_heads, drop_prob):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, num_heads, dropout=drop_prob, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(
            nn.Linear(emb_size, 4 * emb_size), nn.GELU(), nn.Dropout(drop_prob), nn.Linear(4 * emb_size, emb_size)
        )

    def forward(self, x, mask=None):
        h = self.norm1(x)
        h, _ = self.attention(h, h, h, key_padding_mask=mask, need_weights=False)  # BUG
        x = x + h
        return x + self.ff(self.norm2(x))


class EEGTransformerEncoder(nn.Module):
    def __init__(self, emb_size, num_heads, depth, drop_prob=0.1):
        super().__init__()
        self.blocks = nn.ModuleList([_TransformerBlock(emb_size, num_heads, drop_prob) for _ in range(depth)])

    def forward(self, x, mask=None):
        for block in self.blocks:
            x = block(x, mask=mask)
        return x


class EEGConformerLite(nn.Module):
    def __init__(self, n_chans, n_outputs, emb_size=40, patch_len=25, num_heads=10, depth=3):
        super().__init__()
        self.patch_embedding = PatchEmbedding(n_chans, emb_size, patch_len)
        self.encoder = EEGTransformerEncoder(emb_size, num_heads, depth)
        self.final_layer = nn.Linear(emb_size, n_outputs)

    def forward(self, x, lengths):
        tokens, valid = self.patch_embedding(x, lengths)
        encoded = self.encoder(tokens, mask=valid)  # BUG
        denom = valid.sum(dim=1, keepdim=True).clamp(min=1)
        pooled = (encoded * valid.unsqueeze(-1)).sum(dim=1) / denom
        return self.final_layer(pooled)
