import torch

from .model import SignRecognizer

torch.manual_seed(0)
n = torch.tensor([16, 9, 12])
frames = torch.randn(3, 16, 24)
model = SignRecognizer()
print("train", model(frames, n).argmax(-1).tolist())
with torch.no_grad():
    print("eval ", model.eval()(frames, n).argmax(-1).tolist())
