import torch
import torch.nn.functional as F

from .generate import greedy, greedy_uncached
from .model import CachedGPT

torch.manual_seed(0)
model = CachedGPT()
seq = torch.randint(0, 64, (2, 12))
logits, _ = model(seq[:, :-1])
print("loss", F.cross_entropy(logits.transpose(1, 2), seq[:, 1:]).item())
print("cached == uncached:", torch.equal(greedy(model, seq[:, :3], 6), greedy_uncached(model, seq[:, :3], 6)))
