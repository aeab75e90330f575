"""Q-Former / Perceiver-resampler style bridge: a fixed set of learned latent
queries cross-attends to a variable number of visual tokens (video frames x
patches, padded per clip) and self-attends among themselves. The latents are
not generated one by one, so no causal mask belongs anywhere here."""
import torch
import torch.nn as nn


class ResamplerLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm_media = nn.LayerNorm(d)
        self.norm_latents = nn.LayerNorm(d)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, latents, media, media_pad):
        m = self.norm_media(media)
        q = self.norm_latents(latents)
        latents = latents + self.cross(q, m, m, key_padding_mask=media_pad, need_weights=False)[0]
        h = self.norm_latents(latents)
        latents = latents + self.self_attn(h, h, h, need_weights=False)[0]
        return latents + self.ff(latents)


class PerceiverResampler(nn.Module):
    def __init__(self, d=32, heads=4, n_latents=8, depth=2, patches_per_frame=4):
        super().__init__()
        self.ppf = patches_per_frame
        self.latents = nn.Parameter(torch.randn(n_latents, d) * 0.02)
        self.frame_emb = nn.Embedding(16, d)
        self.layers = nn.ModuleList([ResamplerLayer(d, heads) for _ in range(depth)])

    def forward(self, frame_patches, n_frames):
        # frame_patches: (B, F, P, D); clips padded to F frames
        B, F, P, D = frame_patches.shape
        media = (frame_patches + self.frame_emb.weight[:F, None]).reshape(B, F * P, D)
        media_pad = (torch.arange(F)[None] >= n_frames[:, None]).repeat_interleave(P, dim=1)
        x = self.latents.expand(B, -1, -1)
        for layer in self.layers:
            x = layer(x, media, media_pad)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PerceiverResampler()
    clips = torch.randn(2, 5, 4, 32)
    n_frames = torch.tensor([5, 3])
    for mode in ("train", "eval"):
        getattr(model, mode)()
        with torch.no_grad():
            a = model(clips, n_frames)
            c2 = clips.clone()
            c2[1, 3:] = torch.randn(2, 4, 32) * 5
            b = model(c2, n_frames)
            alone = model(clips[1:, :3], n_frames[1:])
        assert (a[1] - b[1]).abs().max() < 1e-5
        assert torch.allclose(a[1], alone[0], atol=1e-5)
        assert not torch.isnan(a).any()
        print(mode, "ok: latents invariant to padded frames")
