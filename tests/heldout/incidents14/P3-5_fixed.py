import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=500):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class TimeSeriesTransformer(nn.Module):
    def __init__(self, n_features=3, d_model=8, nhead=2, num_layers=2):
        super().__init__()
        self.input_proj = nn.Linear(n_features, d_model)
        self.pos_encoder = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 1)

    def forward(self, src):
        src_mask = nn.Transformer.generate_square_subsequent_mask(src.shape[1])  # BUG
        x = self.pos_encoder(self.input_proj(src))
        x = self.encoder(x, mask=src_mask, is_causal=True)
        return self.head(x)


def training_loss(model, batches):
    model.train()
    total = 0.0
    for src, tgt in batches:
        loss = nn.functional.mse_loss(model(src), tgt)
        loss.backward()
        total += loss.item()
    return total / len(batches)


if __name__ == "__main__":
    torch.manual_seed(0)
    seq_len = 6
    model = TimeSeriesTransformer()
    batches = [(torch.randn(seq_len, seq_len, 3), torch.randn(seq_len, seq_len, 1)) for _ in range(2)]
    training_loss(model, batches)
    model.eval()
    try:
        with torch.no_grad():
            pred = model(torch.randn(4, seq_len, 3))
        print(f"eval ok: prediction shape {tuple(pred.shape)}")
    except RuntimeError as exc:
        print(f"eval failed: {exc}")
