"""Readiness score from strength-training logs.

A session is the list of sets the athlete logged: (exercise, load kg, reps, RPE).
Batches are produced by a generator over the athlete's history.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

PAD_EXERCISE = 0


def iterate_sessions(sessions, batch_size=8):
    """Yield (exercise, numeric, pad) batches from a list of per-session tensors."""
    for start in range(0, len(sessions), batch_size):
        chunk = sessions[start:start + batch_size]
        exercise = pad_sequence([s["exercise"] for s in chunk], padding_value=PAD_EXERCISE)
        numeric = pad_sequence([s["numeric"] for s in chunk])
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
        # collated time-major: (sets, sessions)
        x = (self.exercise(exercise) + self.numeric(numeric)).transpose(0, 1)
        h = self.encoder(x, src_key_padding_mask=pad)  # expect: ML304
        keep = (exercise != PAD_EXERCISE).t().unsqueeze(-1).float()
        return self.score((h * keep).sum(1) / keep.sum(1)).squeeze(-1)


if __name__ == "__main__":
    hist = [{"exercise": torch.randint(1, 300, (n,)), "numeric": torch.rand(n, 3)} for n in (5, 9, 7)]
    model = ReadinessModel()
    for ex, num, pad in iterate_sessions(hist):
        print(ex.shape, pad.shape)
