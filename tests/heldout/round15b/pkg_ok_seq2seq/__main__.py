import torch

from .model import Seq2Seq

torch.manual_seed(0)
src = torch.tensor([[5, 6, 7, 8, 2, 0, 0], [9, 10, 11, 12, 13, 14, 2]])
tgt = torch.tensor([[1, 15, 16, 17], [1, 18, 19, 20]])
print(Seq2Seq()(src, tgt).shape)
