import torch

from .encoder import BiEncoder

queries = torch.tensor([[11, 12, 13, 0, 0], [21, 22, 23, 24, 25]])
passages = torch.tensor([[11, 40, 12, 41, 13, 0], [21, 50, 51, 0, 0, 0]])
for kernel in ("sdpa", "eager"):
    torch.manual_seed(0)
    enc = BiEncoder(kernel=kernel).eval()
    with torch.no_grad():
        qv = enc(queries, (queries != 0).long())
        pv = enc(passages, (passages != 0).long())
    print(kernel, "scores", (qv @ pv.T).round(decimals=3).tolist())
