import torch
import torch.nn.functional as F

from .forecaster import LoadForecaster


def main():
    torch.manual_seed(0)
    model = LoadForecaster()
    series = torch.randn(3, 24, 4)
    n_valid = [24, 20, 16]
    for i, n in enumerate(n_valid):
        series[i, n:] = 0.0
    pred = model(series[:, :-1], [n - 1 for n in n_valid])
    target = series[:, 1:, 0]
    keep = torch.arange(23)[None, :] < torch.tensor([n - 1 for n in n_valid])[:, None]
    loss = F.mse_loss(pred[keep], target[keep])
    print("mse", round(loss.item(), 5))


if __name__ == "__main__":
    main()
