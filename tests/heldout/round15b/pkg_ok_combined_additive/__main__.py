import torch

from .model import EventForecaster

torch.manual_seed(0)
types = torch.randint(0, 12, (3, 9))
times = torch.rand(3, 9).cumsum(-1)
lengths = torch.tensor([9, 5, 7])
logits = EventForecaster()(types, times, lengths)
print(logits.shape, bool(torch.isfinite(logits).all()))
