"""Sales forecaster for connected vending machines (restock route planning).

Input: up to 48 hourly sales vectors (units per slot group) of one machine;
recently installed machines have a shorter history and are left-padded.
Output: the next 24 hourly totals, decoded with teacher forcing.
"""
import torch
from torch import nn

HISTORY, HORIZON = 48, 24


class RestockForecaster(nn.Module):
    def __init__(self, n_groups=6, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.src_proj = nn.Linear(n_groups + 2, d_model)  # + hour-of-week sin/cos
        self.tgt_proj = nn.Linear(1, d_model)
        self.src_pos = nn.Parameter(torch.randn(HISTORY, d_model) * 0.02)
        self.tgt_pos = nn.Parameter(torch.randn(HORIZON, d_model) * 0.02)
        self.core = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=layers,
                                   num_decoder_layers=layers, dim_feedforward=64, dropout=0.1, batch_first=True)
        self.out = nn.Linear(d_model, 1)

    def forward(self, history, history_pad, shifted_future):
        src = self.src_proj(history) + self.src_pos
        tgt = self.tgt_proj(shifted_future) + self.tgt_pos[: shifted_future.size(1)]
        tgt_mask = self.core.generate_square_subsequent_mask(tgt.size(1), device=tgt.device)
        h = self.core(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=history_pad,
                      memory_key_padding_mask=history_pad)
        return nn.functional.softplus(self.out(h))


def make_batch(n=3):
    hist = torch.rand(n, HISTORY, 8) * 5
    hours_available = torch.tensor([48, 20, 33])[:n]
    pad = torch.arange(HISTORY)[None, :] < (HISTORY - hours_available)[:, None]   # left padding
    hist = hist.masked_fill(pad[..., None], 0.0)
    future = torch.rand(n, HORIZON, 1) * 10
    shifted = torch.cat([torch.zeros(n, 1, 1), future[:, :-1]], dim=1)
    return hist, pad, shifted, future


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RestockForecaster()
    hist, pad, shifted, future = make_batch()
    pred = model(hist, pad, shifted)
    loss = nn.functional.poisson_nll_loss(pred, future, log_input=False)
    loss.backward()
    model.eval()
    with torch.no_grad():
        print(float(loss), model(hist, pad, shifted).shape)
