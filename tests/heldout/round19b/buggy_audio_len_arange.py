"""Sound-event tagger: log-mel frames -> transformer -> clip-level labels."""
import torch
from torch import nn


class FramePatcher(nn.Module):
    def __init__(self, n_mels: int, d_model: int, stride: int = 2):
        super().__init__()
        self.stride = stride
        self.conv = nn.Conv1d(n_mels, d_model, kernel_size=3, stride=stride, padding=1)

    def forward(self, mel, mel_lens):
        x = self.conv(mel).transpose(1, 2)  # (B, T', D)
        lens = torch.div(mel_lens + self.stride - 1, self.stride, rounding_mode="floor")
        return x, lens


class EventTagger(nn.Module):
    def __init__(self, n_mels=64, d_model=64, nhead=4, depth=2, n_events=10):
        super().__init__()
        self.patch = FramePatcher(n_mels, d_model)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, nhead, batch_first=True) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model)) for _ in range(depth))
        self.ln1 = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(depth))
        self.ln2 = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(depth))
        self.head = nn.Linear(d_model, n_events)

    def forward(self, mel: torch.Tensor, mel_lens: torch.Tensor) -> torch.Tensor:
        x, lens = self.patch(mel, mel_lens)
        T = x.size(1)
        key_padding_mask = torch.arange(T, device=x.device)[None, :] < lens[:, None]  # BUG: True on valid frames; MHA treats True as padding, so valid frames are ignored
        for attn, mlp, ln1, ln2 in zip(self.attn, self.mlp, self.ln1, self.ln2):
            y = ln1(x)
            x = x + attn(y, y, y, key_padding_mask=key_padding_mask, need_weights=False)[0]
            x = x + mlp(ln2(x))
        valid = (torch.arange(T, device=x.device)[None, :] < lens[:, None]).unsqueeze(-1)
        pooled = (x * valid).sum(1) / valid.sum(1).clamp(min=1)
        return self.head(pooled)
