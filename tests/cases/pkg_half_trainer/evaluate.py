import torch

from .model import TinyGPT


def perplexity(model, data, block=16):
    model.eval().half()
    with torch.no_grad():
        x = data[: block][None]
        return model(x).float().logsumexp(-1).mean().item()  # expect: ML205


if __name__ == "__main__":
    print(perplexity(TinyGPT(), torch.randint(0, 100, (64,))))
