import random

import torch

from .data import collate
from .model import GlossTranslator
from .train import step


def main():
    random.seed(0)
    torch.manual_seed(0)
    pairs = [([random.randrange(4, 1200) for _ in range(random.randint(4, 20))],
              [random.randrange(4, 3000) for _ in range(random.randint(5, 28))]) for _ in range(8)]
    batch = collate(pairs)
    model = GlossTranslator()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    for i in range(3):
        print("step", i, "loss", round(step(model, batch, opt), 4))


if __name__ == "__main__":
    main()
