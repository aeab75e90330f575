import torch

from .config import StoryConfig
from .model import StoryLM

for backend in ("sdpa", "torch_mha"):
    torch.manual_seed(0)
    lm = StoryLM(StoryConfig(backend=backend))
    data = torch.randint(0, 700, (4, 33))
    _, loss = lm(data[:, :-1], data[:, 1:])
    loss.backward()
    lm.eval()
    print(backend, "loss", round(loss.item(), 3), "sample", lm.generate(data[:1, :5], 6)[0, 5:].tolist())
