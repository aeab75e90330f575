import torch
import torch.nn.functional as F

from .model import PeptideLM

if __name__ == "__main__":
    m = PeptideLM()
    s = torch.randint(0, 25, (4, 30))
    print(F.cross_entropy(m(s[:, :-1]).flatten(0, 1), s[:, 1:].flatten()).item())
