import torch

from .vocab import BOS, EOS, MAX_LEN, PAD


def pad_to(ids, width=MAX_LEN):
    ids = ids[:width]
    return ids + [PAD] * (width - len(ids))


def collate(pairs):
    """pairs: list of (gloss_ids, text_ids) -> dict batch with padding masks (True = pad)."""
    src = torch.tensor([pad_to(g) for g, _ in pairs])
    tgt = torch.tensor([pad_to([BOS] + t + [EOS]) for _, t in pairs])
    return {
        "src": src,
        "tgt": tgt,
        "src_pad": src == PAD,
        "tgt_pad": tgt == PAD,
    }
