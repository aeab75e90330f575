from typing import Optional

import torch

from .model import Reader


def load_for_inference(state_dict: Optional[dict] = None, **kwargs) -> Reader:
    model = Reader(**kwargs)
    if state_dict is not None:
        model.load_state_dict(state_dict)
    # half the memory for serving
    return model.half().eval()


@torch.no_grad()
def answer_spans(model: Reader, question: torch.Tensor, passage: torch.Tensor):
    start, end = model(question, passage)
    start = start.float().masked_fill(question.eq(model.pad_id), float("-inf"))
    end = end.float().masked_fill(question.eq(model.pad_id), float("-inf"))
    return start.argmax(-1), end.argmax(-1)
