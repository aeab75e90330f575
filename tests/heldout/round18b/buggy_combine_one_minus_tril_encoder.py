"""Next-event prediction over system log templates (DeepLog-style), seq-first layout."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0
N_TEMPLATES = 64


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=512):
        super().__init__()
        pe = torch.zeros(max_len, 1, d_model)
        position = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0, 0::2] = torch.sin(position * div)
        pe[:, 0, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class LogEventModel(nn.Module):
    def __init__(self, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(N_TEMPLATES, d_model, padding_idx=PAD)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.classify = nn.Linear(d_model, N_TEMPLATES)

    def forward(self, events):
        S = events.size(0)
        causal = 1 - torch.tril(torch.ones(S, S, device=events.device))
        pad = (events == PAD).transpose(0, 1)
        x = self.pos(self.embed(events) * math.sqrt(self.embed.embedding_dim))
        h = self.encoder(x, mask=causal, src_key_padding_mask=pad)  # BUG: 1 - tril(ones) left as 0/1 float: added to scores, future events visible
        return self.classify(h)


def anomaly_scores(model, windows, top_k=5):
    logits = model(windows[:-1])
    target = windows[1:]
    ranks = logits.topk(top_k, dim=-1).indices
    hit = (ranks == target.unsqueeze(-1)).any(-1)
    return (~hit & (target != PAD)).float().mean(0)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LogEventModel()
    windows = torch.randint(1, N_TEMPLATES, (20, 4))
    windows[15:, 2] = PAD
    logits = model(windows[:-1])
    loss = F.cross_entropy(logits.reshape(-1, N_TEMPLATES), windows[1:].reshape(-1), ignore_index=PAD)
    print("loss", round(loss.item(), 5), "scores", [round(s, 3) for s in anomaly_scores(model, windows).tolist()])
