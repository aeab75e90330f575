"""Audio-visual speech recognition front-end: lip-video frames cross-attend to audio frames.

Different clips have different audio / video lengths; per-sample (N*H, L, S) masks.
"""
import torch
import torch.nn as nn


class AVCrossAttention(nn.Module):
    def __init__(self, dim=256, heads=4, max_offset=4):
        super().__init__()
        self.heads = heads
        self.max_offset = max_offset
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm_v = nn.LayerNorm(dim)
        self.norm_a = nn.LayerNorm(dim)

    def alignment_mask(self, n_video, n_audio, audio_lens, ratio):
        """Each video frame sees audio frames within +-max_offset of its aligned position."""
        v = torch.arange(n_video, device=audio_lens.device)[:, None] * ratio
        a = torch.arange(n_audio, device=audio_lens.device)[None, :]
        far = (a - v).abs() > self.max_offset * ratio                 # (L, S) True = blocked
        pad = a >= audio_lens[:, None, None]                          # (N, 1, S)
        blocked = far.unsqueeze(0) | pad                              # (N, L, S)
        # padded video frames align with padded audio only: let every query see
        # audio frame 0 (always real) so that no row is empty
        blocked[:, :, 0] = False
        return blocked.repeat_interleave(self.heads, dim=0)           # (N*H, L, S)

    def forward(self, video, audio, audio_lens, ratio=4):
        mask = self.alignment_mask(video.size(1), audio.size(1), audio_lens, ratio)
        out, _ = self.attn(self.norm_v(video), self.norm_a(audio), self.norm_a(audio), attn_mask=mask)
        return video + out


class AVFusionEncoder(nn.Module):
    def __init__(self, dim=256, heads=4, layers=4):
        super().__init__()
        self.cross = AVCrossAttention(dim, heads)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.1, batch_first=True)
        self.fusion = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, video, video_lens, audio, audio_lens):
        x = self.cross(video, audio, audio_lens)
        video_pad = torch.arange(video.size(1), device=video.device)[None, :] >= video_lens[:, None]
        return self.fusion(x, src_key_padding_mask=video_pad)


if __name__ == "__main__":
    enc = AVFusionEncoder()
    video = torch.randn(2, 25, 256)
    audio = torch.randn(2, 100, 256)
    out = enc(video, torch.tensor([25, 18]), audio, torch.tensor([100, 72]))
    print(out.shape, out[0].isfinite().all())
