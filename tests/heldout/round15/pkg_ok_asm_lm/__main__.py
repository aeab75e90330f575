import torch

from .data import stream_windows
from .model import AsmLM

torch.manual_seed(0)
stream = torch.randint(0, 512, (400,))
windows = stream_windows(stream, ctx=32, stride=32)
print("windows", tuple(windows.shape), "loss", AsmLM().loss(windows).item())
