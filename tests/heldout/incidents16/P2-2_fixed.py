"""Sensor time-series classifier on nn.TransformerEncoderLayer (variable-length recordings)."""
import torch
from torch import nn


class SensorTransformer(nn.Module):
    def __init__(self, n_features=6, d_model=32, nhead=4, num_classes=4, max_len=64):
        super().__init__()
        self.input_proj = nn.Linear(n_features, d_model)
        self.pos_embedding = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        self.encoder_layer = nn.TransformerEncoderLayer(
            d_model=d_model, nhead=nhead, dim_feedforward=64, dropout=0.0, batch_first=True
        )
        self.classifier = nn.Linear(d_model, num_classes)

    @staticmethod
    def valid_steps(lengths, max_len):
        """1.0 for recorded time steps, 0.0 for the zero padding at the end."""
        steps = torch.arange(max_len, device=lengths.device)
        return (steps[None, :] < lengths[:, None]).float()

    def forward(self, x, lengths):
        # x: (batch, time, features)
        seq_len = x.size(1)
        h = self.input_proj(x) + self.pos_embedding[:, :seq_len]
        valid = self.valid_steps(lengths, seq_len)
        h = self.encoder_layer(h, src_key_padding_mask=valid == 0)
        pooled = (h * valid.unsqueeze(-1)).sum(1) / valid.sum(1, keepdim=True)
        return self.classifier(pooled)


if __name__ == "__main__":
    model = SensorTransformer()
    batch = torch.randn(3, 20, 6)
    lengths = torch.tensor([20, 12, 7])
    batch[1, 12:] = 0.0
    batch[2, 7:] = 0.0
    print(model(batch, lengths).shape)
