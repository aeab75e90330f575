import random

import torch
import torch.nn.functional as F

from .model import UnitLM, UtteranceScorer
from .packing import FILL, pack_utterances


def next_unit_loss(logits, ids, seg):
    same = seg[:, 1:] == seg[:, :-1]
    tgt = ids[:, 1:].masked_fill(~same | (ids[:, 1:] == FILL), -100)
    return F.cross_entropy(logits[:, :-1].flatten(0, 1), tgt.flatten(), ignore_index=-100)


def main():
    torch.manual_seed(0)
    rng = random.Random(0)
    utts = [[rng.randrange(100) for _ in range(rng.randint(4, 11))] for _ in range(8)]
    ids, seg = pack_utterances(utts, 20)
    lm, scorer = UnitLM(), UtteranceScorer()
    loss = next_unit_loss(lm(ids, seg), ids, seg)
    loss.backward()
    scores = scorer(ids, seg)
    print("loss", round(loss.item(), 5), "scores", round(scores.mean().item(), 5))


if __name__ == "__main__":
    main()
