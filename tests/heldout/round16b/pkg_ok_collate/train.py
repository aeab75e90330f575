import torch
import torch.nn.functional as F

from .collate import collate
from .model import IntentClassifier

if __name__ == "__main__":
    batch = collate([{"ids": [5, 6, 7], "label": 1}, {"ids": [8, 9, 10, 11, 12], "label": 3}])
    print(F.cross_entropy(IntentClassifier()(batch), batch["labels"]).item())
