"""Action recognition on variable-length clips with a Perceiver-style latent bottleneck."""
import torch
import torch.nn as nn


class FrameTokenizer(nn.Module):
    def __init__(self, d, patch=16):
        super().__init__()
        self.proj = nn.Conv2d(3, d, patch, patch)
        self.time = nn.Embedding(64, d)

    def forward(self, clips):
        B, T, C, H, W = clips.shape
        x = self.proj(clips.flatten(0, 1)).flatten(2).transpose(1, 2)     # (B*T, P, d)
        P = x.size(1)
        x = x.view(B, T, P, -1) + self.time(torch.arange(T, device=clips.device))[None, :, None]
        return x.flatten(1, 2), P


class PerceiverVideo(nn.Module):
    def __init__(self, d=64, n_latents=16, heads=4, self_layers=2, n_classes=12):
        super().__init__()
        self.tok = FrameTokenizer(d)
        self.latents = nn.Parameter(torch.randn(n_latents, d) * 0.02)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_ln_q, self.cross_ln_kv = nn.LayerNorm(d), nn.LayerNorm(d)
        self.latent_tf = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1, batch_first=True, norm_first=True), self_layers,
            enable_nested_tensor=False)
        self.head = nn.Linear(d, n_classes)

    def forward(self, clips, n_frames):
        tokens, P = self.tok(clips)
        B, T = clips.shape[:2]
        frame_pad = torch.arange(T, device=clips.device)[None, :] >= n_frames[:, None]   # (B, T)
        token_pad = frame_pad.repeat_interleave(P, dim=1)                                 # (B, T*P)
        lat = self.latents.expand(B, -1, -1)
        kv = self.cross_ln_kv(tokens)
        z, _ = self.cross(self.cross_ln_q(lat), kv, kv, key_padding_mask=token_pad, need_weights=False)
        z = lat + z
        z = self.latent_tf(z)
        return self.head(z.mean(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    clips = torch.randn(3, 8, 3, 32, 32)
    n_frames = torch.tensor([8, 5, 3])
    clips = clips * (torch.arange(8)[None, :] < n_frames[:, None])[..., None, None, None]
    model = PerceiverVideo()
    logits = model(clips, n_frames)
    loss = nn.functional.cross_entropy(logits, torch.tensor([0, 5, 11]))
    loss.backward()
    model.eval()
    with torch.no_grad():
        solo = model(clips[2:, :3], n_frames[2:])
        batched = model(clips, n_frames)[2:]
    print(logits.shape, loss.item(), torch.allclose(solo, batched, atol=1e-5))
