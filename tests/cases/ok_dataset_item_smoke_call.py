"""Correct: a Dataset's item built with NumPy, taken with `ds[0]` in a smoke run and handed to the model
built in the same file: its bool padding mask reaches the encoder's key padding slot."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset


class TraceDataset(Dataset):
    def __init__(self, traces, max_len=40):
        self.traces, self.max_len = traces, max_len

    def __len__(self):
        return len(self.traces)

    def __getitem__(self, i):
        trace = np.asarray(self.traces[i][: self.max_len], dtype=np.float32)
        values = np.zeros((self.max_len, 1), dtype=np.float32)
        values[: len(trace), 0] = trace
        missing = np.ones(self.max_len, dtype=bool)
        missing[: len(trace)] = False
        return torch.from_numpy(values), torch.from_numpy(missing)


class TraceEncoder(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.proj = nn.Linear(1, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)

    def forward(self, values, missing):
        return self.encoder(self.proj(values), src_key_padding_mask=missing)


if __name__ == "__main__":
    ds = TraceDataset([np.random.randn(25)])
    values, missing = ds[0]
    print(TraceEncoder()(values[None], missing[None]).shape)
