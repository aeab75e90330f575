import torch

from .mae import HistoMAE


def main():
    torch.manual_seed(0)
    model = HistoMAE()
    loss = model(torch.randn(4, 3, 96, 96))
    loss.backward()
    print("mae recon loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
