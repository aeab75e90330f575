"""Encoder-decoder forecaster trained with teacher forcing: the decoder sees the
last `label_len` observations followed by the shifted ground-truth horizon."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class ForecastConfig:
    enc_in: int = 3
    d_model: int = 32
    n_heads: int = 4
    e_layers: int = 2
    d_layers: int = 1
    seq_len: int = 16
    label_len: int = 4
    pred_len: int = 6


class TimeFeatureEmbedding(nn.Module):
    def __init__(self, c_in, d_model, max_len=64):
        super().__init__()
        self.value = nn.Linear(c_in, d_model)
        self.position = nn.Parameter(torch.randn(max_len, d_model) * 0.02)

    def forward(self, x):
        return self.value(x) + self.position[: x.size(1)]


class Seq2SeqForecaster(nn.Module):
    def __init__(self, cfg: ForecastConfig):
        super().__init__()
        self.cfg = cfg
        self.enc_embedding = TimeFeatureEmbedding(cfg.enc_in, cfg.d_model)
        self.dec_embedding = TimeFeatureEmbedding(cfg.enc_in, cfg.d_model)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(cfg.d_model, cfg.n_heads, 4 * cfg.d_model, 0.0, batch_first=True), cfg.e_layers)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(cfg.d_model, cfg.n_heads, 4 * cfg.d_model, 0.0, batch_first=True), cfg.d_layers)
        self.projection = nn.Linear(cfg.d_model, cfg.enc_in)

    def forward(self, x_enc, x_dec):
        memory = self.encoder(self.enc_embedding(x_enc))
        out = self.decoder(  # expect: ML401
            self.dec_embedding(x_dec),
            memory,
        )
        return self.projection(out)[:, -self.cfg.pred_len:]


def make_decoder_input(x_enc, y_true, cfg):
    """[last label_len observations, ground truth shifted right by one step]."""
    start = x_enc[:, -cfg.label_len:]
    shifted = torch.cat([x_enc[:, -1:], y_true[:, :-1]], dim=1)
    return torch.cat([start, shifted], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = ForecastConfig()
    model = Seq2SeqForecaster(cfg)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x_enc = torch.randn(4, cfg.seq_len, cfg.enc_in)
    y = torch.randn(4, cfg.pred_len, cfg.enc_in)
    for _ in range(2):
        loss = nn.functional.mse_loss(model(x_enc, make_decoder_input(x_enc, y, cfg)), y)
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        a = model(x_enc, make_decoder_input(x_enc, y, cfg))
        y2 = y.clone()
        y2[:, 4] += 5.0  # ground truth of horizon step 4 (fed to decoder position for step 5)
        b = model(x_enc, make_decoder_input(x_enc, y2, cfg))
    leak = (a[:, 0] - b[:, 0]).abs().max().item()
    print("forecast of horizon step 0 moved by step-4 ground truth:", leak)
    assert leak > 1e-3
