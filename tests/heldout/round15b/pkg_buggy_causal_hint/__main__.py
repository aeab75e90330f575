import torch

from .model import PromptScorer

torch.manual_seed(0)
model = PromptScorer()
ids = torch.tensor([[0, 0, 0, 11, 12, 13, 14], [21, 22, 23, 24, 25, 26, 27]])
am = (ids != 0).long()
logits = model(ids, am)
nll = torch.nn.functional.cross_entropy(logits[:, :-1].transpose(1, 2), ids[:, 1:], reduction="none")
print("per-token nll (real tokens):", (nll * am[:, 1:]).sum(1).tolist())
