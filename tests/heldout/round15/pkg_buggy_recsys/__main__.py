import torch
from torch.nn import functional as F

from . import NextItemModel, collate_sessions

torch.manual_seed(0)
sessions = [[5, 9, 3, 7, 2], [4, 4, 8], [1, 2, 3, 4, 5, 6, 7, 8]]
batch = collate_sessions(sessions)
model = NextItemModel(n_items=10)
scores = model(batch)
print("loss", F.cross_entropy(scores, batch.target).item())
model.eval()
with torch.no_grad():
    print("top-3", model(batch).topk(3).indices.tolist())
