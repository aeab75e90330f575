import torch
import torch.nn.functional as F

from .model import SpeechTranslator


def step(model, feats, feat_lens, tgt):
    logits = model(feats, feat_lens, tgt[:, :-1])
    return F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:])


if __name__ == "__main__":
    model = SpeechTranslator()
    print(step(model, torch.randn(4, 60, 40), torch.tensor([60, 50, 40, 30]), torch.randint(0, 600, (4, 9))).item())
