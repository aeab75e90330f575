import torch
import torch.nn as nn


class SequencePredictor(nn.Module):
    def __init__(self, input_dim=10, hidden_dim=10):
        super().__init__()
        self.input_proj = nn.Linear(input_dim, hidden_dim * 2)
        self.transformer = nn.Transformer(
            hidden_dim * 2, 4, num_encoder_layers=1, num_decoder_layers=1,
            dim_feedforward=32, dropout=0.0, batch_first=True,
        )
        self.head = nn.Linear(hidden_dim * 2, 1)

    def forward(self, x):
        x = self.input_proj(x)  # (batch, seq, feature)
        attention_mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1])
        output = self.transformer(
            x, x, src_mask=attention_mask, tgt_mask=attention_mask, src_is_causal=True, tgt_is_causal=True
        )
        return self.head(output).squeeze(-1)


def training_step(model, opt, x, y):
    model.train()
    loss = nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SequencePredictor()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(16, 12, 10), torch.randn(16, 12)
    print("train loss:", round(training_step(model, opt, x, y), 4))

    model.eval()
    with torch.no_grad():
        preds = model(x)
    print("predictions:", preds.shape)
