import random

import torch

from .model import ReadClassifier
from .tokenize import KmerTokenizer


def main():
    random.seed(0)
    torch.manual_seed(0)
    tok = KmerTokenizer()
    reads = ["".join(random.choice("ACGT") for _ in range(n)) for n in (150, 120, 90, 150)]
    batch = tok.batch(reads)
    model = ReadClassifier()
    logits = model(batch["input_ids"], batch["valid"])
    print("logits", tuple(logits.shape), "finite:", bool(torch.isfinite(logits).all()))


if __name__ == "__main__":
    main()
