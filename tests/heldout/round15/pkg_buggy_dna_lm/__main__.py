import torch

from .model import build_from_config, tokenize

torch.manual_seed(0)
model = build_from_config()
ids = tokenize(["ACGTTGCAAC", "GGGCTA", "TTTACGNNAC"])
print("nll", model.next_token_loss(ids).item())
model.eval()
print("sample", model.sample(ids[:1, :4], 5, generator=torch.Generator().manual_seed(1)).tolist())
