# %% Forecasting notebook: seq-first Transformer decoder over hourly demand
import torch
import torch.nn as nn

torch.manual_seed(0)
HIST, HORIZON, D = 48, 24, 32

# %%
def shifted_targets(y):
    return torch.cat([torch.zeros_like(y[:1]), y[:-1]], dim=0)


class DemandDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc_in = nn.Linear(3, D)
        self.dec_in = nn.Linear(1, D)
        self.model = nn.Transformer(D, 4, 2, 2, 64, dropout=0.0)  # batch_first=False
        self.out = nn.Linear(D, 1)

    def forward(self, hist, dec_inp):
        src = self.enc_in(hist)          # (HIST, B, D)
        tgt = self.dec_in(dec_inp)       # (HORIZON, B, D)
        tgt_mask = self.model.generate_square_subsequent_mask(tgt.size(1))
        y = self.model(
            src, tgt,
            tgt_mask=tgt_mask,  # expect: ML303
        )
        return self.out(y)


# %%
model = DemandDecoder()
opt = torch.optim.Adam(model.parameters(), 1e-3)
hist = torch.randn(HIST, 16, 3)
future = torch.randn(HORIZON, 16, 1)
try:
    pred = model(hist, shifted_targets(future))
    loss = nn.functional.mse_loss(pred, future)
    loss.backward()
    opt.step()
    print(loss.item())
except (RuntimeError, AssertionError) as e:
    print("error:", str(e)[:80])
