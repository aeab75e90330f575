import torch

from .model import Retriever


def load_for_inference(state_dict=None):
    model = Retriever()
    if state_dict is not None:
        model.load_state_dict(state_dict)
    return model.half().eval()


@torch.inference_mode()
def embed_queries(model, ids):
    return model(ids)
