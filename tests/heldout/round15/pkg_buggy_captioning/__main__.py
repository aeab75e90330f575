import torch
from torch.nn import functional as F

from .model import Captioner

torch.manual_seed(0)
regions = [torch.randn(n, 32) for n in (5, 12, 3)]
boxes = [torch.rand(n, 4) for n in (5, 12, 3)]
words = torch.tensor([[1, 8, 9, 4, 2], [1, 7, 3, 2, 0], [1, 5, 2, 0, 0]])
model = Captioner()
logits = model(regions, boxes, words[:, :-1])
print("ce", F.cross_entropy(logits.transpose(1, 2), words[:, 1:], ignore_index=0).item())
print("greedy", model.eval().greedy(regions, boxes).tolist())
