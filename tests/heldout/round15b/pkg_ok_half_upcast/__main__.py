import torch

from .model import DualEncoder
from .serve import load_half

torch.manual_seed(0)
ids = torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]])
ref = DualEncoder()
half = load_half(ref.state_dict())
with torch.inference_mode():
    diff = (half(ids).float() - ref(ids)).abs().max().item()
print("fp16 vs fp32 max diff:", round(diff, 4))
