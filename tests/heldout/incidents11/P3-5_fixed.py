import math

import torch
from torch import nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class Seq2SeqForecaster(nn.Module):
    def __init__(self, n_features=4, d_model=16, nhead=2):
        super().__init__()
        self.in_proj = nn.Linear(n_features, d_model)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=1, num_decoder_layers=1,
                                          dim_feedforward=32, dropout=0.0, batch_first=True)
        self.out_proj = nn.Linear(d_model, n_features)

    def forward(self, src, tgt):
        src = self.pos(self.in_proj(src))
        tgt = self.pos(self.in_proj(tgt))
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1])
        return self.out_proj(self.transformer(src, tgt, tgt_mask=tgt_mask))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqForecaster()
    src = torch.randn(8, 10, 4)
    tgt = torch.randn(8, 6, 4)
    try:
        model.train()
        model(src, tgt)
        model.eval()
        tgt2 = tgt.clone()
        tgt2[:, -1] += 3.0
        with torch.no_grad():
            d = (model(src, tgt)[:, :-1] - model(src, tgt2)[:, :-1]).abs().max().item()
        print(f"prefix change when last target step changes: {d:.3e}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
