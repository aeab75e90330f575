import torch


def cross_utterance(seg):
    return seg[:, :, None] != seg[:, None, :]


def same_utterance(seg):
    return seg[:, :, None] == seg[:, None, :]


def causal_packed(seg):
    L = seg.size(1)
    future = torch.ones(L, L, dtype=torch.bool, device=seg.device).triu(1)
    return cross_utterance(seg) | future
