import torch

from .graph import pad_graphs
from .model import RoadGraphModel

torch.manual_seed(0)
g1 = (torch.randn(4, 5), torch.tensor([[0, 1, 2], [1, 2, 3]]))
g2 = (torch.randn(6, 5), torch.tensor([[0, 0, 1, 3, 4], [1, 2, 3, 4, 5]]))
feats, adj, valid = pad_graphs([g1, g2])
print("speeds", RoadGraphModel()(feats, adj, valid).detach().round(decimals=3).tolist())
