import torch

from .model import NextEventScorer


def right_pad(sessions, pad_id=0):
    width = max(len(s) for s in sessions)
    out = torch.full((len(sessions), width), pad_id, dtype=torch.long)
    for i, s in enumerate(sessions):
        out[i, : len(s)] = torch.tensor(s)
    return out


@torch.inference_mode()
def score_sessions(model: NextEventScorer, sessions, top_k=5):
    model.eval()
    events = right_pad(sessions, model.cfg.pad_id)
    logits = model(events)
    last = torch.tensor([len(s) - 1 for s in sessions])
    next_logits = logits[torch.arange(len(sessions)), last]
    return next_logits.topk(top_k, dim=-1).indices.tolist()
