import torch
import torch.nn.functional as F

from .model import CodeToDocstring


def step(model, src, tgt):
    logits = model(src, tgt[:, :-1])
    return F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=0)


if __name__ == "__main__":
    src = torch.randint(1, 800, (4, 30))
    src[2:, 20:] = 0
    tgt = torch.randint(1, 800, (4, 13))
    print(step(CodeToDocstring(), src, tgt).item())
