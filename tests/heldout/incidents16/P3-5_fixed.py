"""Sequence forecaster on nn.Transformer (batch_first) - training loop and prediction."""
import torch
import torch.nn as nn

hidden_dim = 10
batch_size = 16
seq_len = 12


class Forecaster(nn.Module):
    def __init__(self, n_features=4):
        super().__init__()
        self.inp = nn.Linear(n_features, hidden_dim * 2)
        self.transformer = nn.Transformer(hidden_dim * 2, 4, num_encoder_layers=1, num_decoder_layers=1,
                                          dim_feedforward=32, dropout=0.0, batch_first=True)
        self.out = nn.Linear(hidden_dim * 2, n_features)

    def forward(self, x):
        x = self.inp(x)
        attention_mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1])
        output = self.transformer(x, x, src_mask=attention_mask, tgt_mask=attention_mask,
                                  src_is_causal=True, tgt_is_causal=True)
        return self.out(output)


def train(model, data, steps=5):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(steps):
        x = data[:, :-1]
        y = data[:, 1:]
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return model(x)


torch.manual_seed(0)
series = torch.randn(batch_size, seq_len + 1, 4)
model = Forecaster()
final_loss = train(model, series)
print("train loss", final_loss)
prediction = predict(model, series[:, :-1])
print("prediction", prediction.shape)
