import torch

from .model import TinyLM


@torch.no_grad()
def score(model, idx):
    model.eval().half()
    logits = model(idx)
    return torch.nn.functional.cross_entropy(logits[:, :-1].float().flatten(0, 1), idx[:, 1:].flatten())


if __name__ == "__main__":
    print(score(TinyLM(), torch.randint(0, 512, (2, 40))).item())
