import torch

from .data import collate
from .model import TopicClassifier

torch.manual_seed(0)
batch = collate([{"ids": [5, 6, 7], "label": 1}, {"ids": [8, 9, 10, 11, 12, 13], "label": 3}])
model = TopicClassifier()
logits, loss = model(**batch)
print("loss", loss.item())
