"""Perceiver-style encoder: a small latent array cross-attends to a long padded input
(e.g. a bag of point-cloud / sensor tokens), then self-attends."""
import torch
import torch.nn as nn


class CrossAttentionBlock(nn.Module):
    def __init__(self, latent_dim, input_dim, heads=1):
        super().__init__()
        self.norm_latent = nn.LayerNorm(latent_dim)
        self.norm_input = nn.LayerNorm(input_dim)
        self.attn = nn.MultiheadAttention(latent_dim, heads, kdim=input_dim, vdim=input_dim, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(latent_dim), nn.Linear(latent_dim, latent_dim * 4),
                                 nn.GELU(), nn.Linear(latent_dim * 4, latent_dim))

    def forward(self, latents, inputs, input_mask):
        kv = self.norm_input(inputs)
        out, _ = self.attn(
            self.norm_latent(latents), kv, kv,
            key_padding_mask=input_mask,
            need_weights=False,
        )
        latents = latents + out
        return latents + self.mlp(latents)


class LatentTransformer(nn.Module):
    def __init__(self, dim, depth, heads):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, batch_first=True, norm_first=True)
        self.layers = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, z):
        return self.layers(z)                         # latents are never padded


class Perceiver(nn.Module):
    def __init__(self, input_dim=64, num_latents=128, latent_dim=256, depth=4, n_classes=40):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, latent_dim) * 0.02)
        self.cross = CrossAttentionBlock(latent_dim, input_dim)
        self.self_attn = LatentTransformer(latent_dim, depth, heads=8)
        self.head = nn.Linear(latent_dim, n_classes)

    def forward(self, inputs, lengths):
        # inputs: (B, M, input_dim), padded at the end; lengths: (B,)
        B, M, _ = inputs.shape
        input_mask = torch.arange(M, device=inputs.device)[None, :] < lengths[:, None]   # valid tokens
        z = self.latents.unsqueeze(0).expand(B, -1, -1)
        z = self.cross(z, inputs, input_mask)  # expect: ML101
        z = self.self_attn(z)
        return self.head(z.mean(1))


if __name__ == "__main__":
    model = Perceiver()
    pts = torch.randn(4, 1000, 64)
    print(model(pts, torch.tensor([1000, 800, 512, 37])).shape)
