import torch

from .model import Translator

m = Translator()
src = torch.tensor([[5, 6, 7, 0], [8, 9, 10, 11]])
print(m.loss(src, torch.randint(2, 100, (2, 6))).item(), m.translate(src, steps=3).shape)
