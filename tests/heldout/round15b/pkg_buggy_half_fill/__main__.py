import torch

from .model import Retriever
from .serve import embed_queries, load_for_inference

torch.manual_seed(0)
ids = torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]])
fp32 = Retriever()
print("fp32 similarity:", (fp32(ids)[0] @ fp32(ids)[1]).item())
served = load_for_inference(fp32.state_dict())
try:
    print("fp16 embeddings:", embed_queries(served, ids).shape)
except RuntimeError as exc:
    print("serving failed:", exc)
