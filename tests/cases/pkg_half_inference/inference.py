import torch

from .model import Tagger


def export(checkpoint=None):
    model = Tagger()
    if checkpoint is not None:
        model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    return model.half().eval()


@torch.inference_mode()
def tag(model, mels, pad):
    return model(mels.half(), pad).float().sigmoid()
