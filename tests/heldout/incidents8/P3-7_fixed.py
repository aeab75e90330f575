import torch
import torch.nn as nn


class TimeSeriesTransformer(nn.Module):
    def __init__(self, n_features=4, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.input_proj = nn.Linear(n_features, d_model)
        encoder_layers = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.1)
        self.encoder = nn.TransformerEncoder(encoder_layers, num_layers)
        self.decoder = nn.Linear(d_model, 1)

    def forward(self, src, lengths):
        seq_len, batch_size = src.shape[0], src.shape[1]
        src_key_padding_mask = torch.empty([batch_size, seq_len], dtype=torch.bool)
        for b, n in enumerate(lengths):
            src_key_padding_mask[b, :n] = False
            src_key_padding_mask[b, n:] = True
        x = self.input_proj(src)
        x = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.decoder(x[-1])


if __name__ == "__main__":
    model = TimeSeriesTransformer()
    for batch in range(3):
        src = torch.randn(2, 1, 4)
        print(model(src, lengths=[2]).shape)
