import torch

from .model import ConfirmationModel


def snapshot(n_tx, width):
    fee = torch.rand(n_tx) * 5
    vsize = torch.randint(110, 2000, (n_tx,)).float()
    feats = torch.zeros(width, 4)
    feats[:n_tx] = torch.stack([fee, vsize.log(), (torch.rand(n_tx) < 0.3).float(), torch.randint(1, 5, (n_tx,)).float()], -1)
    arrival = torch.full((width,), 1e12)
    arrival[:n_tx] = torch.sort(torch.rand(n_tx) * 6e5).values
    valid = torch.arange(width) < n_tx
    return feats, arrival, valid


if __name__ == "__main__":
    parts = [snapshot(n, 16) for n in (16, 9, 4)]
    feats, arrival, valid = (torch.stack(p) for p in zip(*parts))
    target = torch.randint(0, 12, (3, 16))
    logits = ConfirmationModel()(feats, arrival, valid)
    loss = torch.nn.functional.cross_entropy(logits[valid], target[valid])
    print(loss.item())
