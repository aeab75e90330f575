"""Time-series anomaly detector over irregular sensor windows (missing readings are padded)."""
import torch
import torch.nn as nn


class SensorEncoder(nn.Module):
    def __init__(self, n_sensors=12, d=64, heads=4):
        super().__init__()
        self.inp = nn.Linear(n_sensors, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.recon = nn.Linear(d, n_sensors)

    def forward(self, readings, missing):
        # readings: (B, T, n_sensors); missing: (B, T) bool, True where the row was not recorded
        x = self.inp(readings)
        kpm = missing.unsqueeze(1)
        h, _ = self.attn(x, x, x, key_padding_mask=kpm)  # expect: ML301
        return self.recon(self.norm(x + h))


def anomaly_scores(model, readings, missing):
    model.eval()
    with torch.no_grad():
        recon = model(readings, missing)
    err = (recon - readings).pow(2).mean(-1)
    return err.masked_fill(missing, 0.0)


if __name__ == "__main__":
    m = SensorEncoder()
    r = torch.randn(4, 30, 12)
    miss = torch.zeros(4, 30, dtype=torch.bool)
    miss[:, 25:] = True
    try:
        print(anomaly_scores(m, r, miss).shape)
    except (AssertionError, RuntimeError) as e:
        print("error:", str(e)[:90])
