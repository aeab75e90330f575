"""Sound-event tagger over variable-length log-mel clips."""
import torch
from torch import nn


class EventTagger(nn.Module):
    def __init__(self, n_mels=64, d_model=64, nhead=4, depth=2, n_events=10, stride=2):
        super().__init__()
        self.stride = stride
        self.frontend = nn.Conv1d(n_mels, d_model, kernel_size=3, stride=stride, padding=1)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, nhead, batch_first=True) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model)) for _ in range(depth))
        self.ln1 = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(depth))
        self.ln2 = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(depth))
        self.head = nn.Linear(d_model, n_events)

    def forward(self, mel, mel_lens):
        x = self.frontend(mel).transpose(1, 2)
        lens = torch.div(mel_lens + self.stride - 1, self.stride, rounding_mode="floor")
        T = x.size(1)
        steps = torch.arange(T, device=x.device)
        key_padding_mask = steps[None, :] >= lens[:, None]
        for attn, mlp, ln1, ln2 in zip(self.attn, self.mlp, self.ln1, self.ln2):
            y = ln1(x)
            x = x + attn(y, y, y, key_padding_mask=key_padding_mask, need_weights=False)[0]
            x = x + mlp(ln2(x))
        valid = (~key_padding_mask).unsqueeze(-1).float()
        return self.head((x * valid).sum(1) / valid.sum(1).clamp(min=1))


def collate_clips(clips):
    """List of (n_mels, T_i) tensors -> padded (B, n_mels, T_max) batch and lengths."""
    lengths = torch.tensor([c.size(-1) for c in clips])
    batch = clips[0].new_zeros(len(clips), clips[0].size(0), int(lengths.max()))
    for i, c in enumerate(clips):
        batch[i, :, : c.size(-1)] = c
    return batch, lengths
