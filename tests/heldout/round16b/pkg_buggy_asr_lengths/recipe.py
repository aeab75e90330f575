import torch
import torch.nn.functional as F

from .encoder import SpeechEncoder


def ctc_step(model, feats, ilens, ys, ylens):
    logp, olens = model(feats, ilens)
    return F.ctc_loss(logp.transpose(0, 1), ys, olens, ylens, zero_infinity=True)


if __name__ == "__main__":
    model = SpeechEncoder()
    feats = torch.randn(3, 200, 80)
    ilens = torch.tensor([200, 150, 96])
    print(ctc_step(model, feats, ilens, torch.randint(1, 40, (3, 12)), torch.tensor([12, 10, 8])).item())
