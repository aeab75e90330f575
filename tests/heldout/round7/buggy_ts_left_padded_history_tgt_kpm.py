"""Retail demand forecaster over many products with different launch dates:
histories are LEFT-padded to a common forecast origin, the decoder predicts
the horizon autoregressively with nn.Transformer."""
import torch
import torch.nn as nn


def left_pad_mask(launch_offsets, length):
    """True where the product did not exist yet (before its launch)."""
    return torch.arange(length)[None, :] < launch_offsets[:, None]


class DemandTransformer(nn.Module):
    def __init__(self, d=32, heads=4, hist_len=8, horizon=8):
        super().__init__()
        self.hist_len, self.horizon = hist_len, horizon
        self.src_in = nn.Linear(2, d)
        self.tgt_in = nn.Linear(1, d)
        self.src_pos = nn.Parameter(torch.randn(hist_len, d) * 0.02)
        self.tgt_pos = nn.Parameter(torch.randn(horizon, d) * 0.02)
        self.model = nn.Transformer(d, heads, 1, 1, 64, dropout=0.0, batch_first=True)
        self.head = nn.Linear(d, 1)

    def forward(self, history, promo, launch_offsets, dec_inputs):
        hist_pad = left_pad_mask(launch_offsets, self.hist_len)
        src = self.src_in(torch.stack([history, promo], -1)) + self.src_pos
        tgt = self.tgt_in(dec_inputs[..., None]) + self.tgt_pos
        causal = self.model.generate_square_subsequent_mask(self.horizon)
        causal = causal.isinf()
        out = self.model(
            src, tgt,
            tgt_mask=causal,
            src_key_padding_mask=hist_pad,
            tgt_key_padding_mask=hist_pad,  # expect: ML503
            memory_key_padding_mask=hist_pad,
        )
        return self.head(out).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DemandTransformer()
    history = torch.randn(3, 8)
    promo = torch.zeros(3, 8)
    launch = torch.tensor([0, 3, 5])
    history[1, :3] = 0.0
    history[2, :5] = 0.0
    dec_inputs = torch.cat([history[:, -1:], torch.randn(3, 7)], dim=1)
    model.eval()
    with torch.no_grad():
        pred = model(history, promo, launch, dec_inputs)
    print("NaN per product:", torch.isnan(pred).any(-1).tolist())
    assert torch.isnan(pred).any()
