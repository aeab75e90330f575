"""Readiness score from strength-training logs (batch-major collate)."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

PAD_EXERCISE = 0


def iterate_sessions(sessions, batch_size=8):
    for start in range(0, len(sessions), batch_size):
        chunk = sessions[start:start + batch_size]
        exercise = pad_sequence([s["exercise"] for s in chunk], batch_first=True,
                                padding_value=PAD_EXERCISE)
        numeric = pad_sequence([s["numeric"] for s in chunk], batch_first=True)
        yield exercise, numeric, exercise == PAD_EXERCISE


class ReadinessModel(nn.Module):
    def __init__(self, n_exercises=300, dim=64, heads=4, depth=2):
        super().__init__()
        self.exercise = nn.Embedding(n_exercises, dim, padding_idx=PAD_EXERCISE)
        self.numeric = nn.Linear(3, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.score = nn.Sequential(nn.Linear(dim, dim), nn.Tanh(), nn.Linear(dim, 1))

    def forward(self, exercise, numeric, pad):
        x = self.exercise(exercise) + self.numeric(numeric)
        h = self.encoder(x, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.score((h * keep).sum(1) / keep.sum(1)).squeeze(-1)
