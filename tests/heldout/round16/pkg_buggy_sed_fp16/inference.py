import torch

from .model import SoundEventDetector


def export_half(checkpoint=None):
    model = SoundEventDetector()
    if checkpoint is not None:
        model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    return model.half().eval()


@torch.inference_mode()
def detect(model, mels, n_frames, threshold=0.5):
    probs = model(mels.half(), n_frames).float().sigmoid()
    return probs > threshold
