import torch

from .model import DualEncoder


def load_half(state_dict):
    model = DualEncoder()
    model.load_state_dict(state_dict)
    return model.to(torch.float16).eval()
