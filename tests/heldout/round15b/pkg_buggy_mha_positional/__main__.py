import torch
import torch.nn.functional as F

from . import ForecastTransformer

torch.manual_seed(0)
model = ForecastTransformer()
series = torch.randn(4, 24, 3).cumsum(1)
try:
    pred = model(series[:, :-1])
    print("mse", F.mse_loss(pred, series[:, 1:]).item())
except (AssertionError, RuntimeError) as exc:
    print("forward failed:", exc)
