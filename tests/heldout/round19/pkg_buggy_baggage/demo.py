import torch

from .misconnect import MisconnectScorer
from .tracking import SCANNERS, ScanSequenceModel


def main():
    scans = torch.tensor([[1, 2, 3, 5, 6, 7, 9], [1, 2, 4, 8, 9, 0, 0]])
    gaps = torch.rand(2, 7) * 30
    nxt = ScanSequenceModel()(scans, gaps)[:, -1].argmax(-1)
    print([SCANNERS[i] for i in nxt.tolist()])

    legs = torch.tensor([[0, 0, 0, 1, 1, 1, 2], [0, 0, 1, 1, 1, 2, 2], [0, 1, 1, 1, 1, 1, 1]])
    departed = torch.tensor([[True, True, False, False], [True, False, False, False], [True, True, False, False]])
    scorer = MisconnectScorer()
    risk = scorer(torch.randint(1, len(SCANNERS), (3, 7)), legs, departed, torch.rand(3, 7) * 90)
    print(torch.sigmoid(risk))


if __name__ == "__main__":
    main()
