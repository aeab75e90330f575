import torch
from torch.nn import functional as F

from .model import TrajectoryModel

torch.manual_seed(0)
model = TrajectoryModel()
obs = torch.randn(2, 5, 3, 16)
act = torch.randint(0, 6, (2, 5))
pred = model(obs[:, :-1], act[:, :-1])
print("train mse", F.mse_loss(pred, obs[:, 1:]).item())
model.eval()
with torch.no_grad():
    print("eval mse", F.mse_loss(model(obs[:, :-1], act[:, :-1]), obs[:, 1:]).item())
