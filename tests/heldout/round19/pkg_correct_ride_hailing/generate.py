import torch

from .cache import LayerCache
from .model import PAD, ZoneLM


@torch.no_grad()
def rollout(model: ZoneLM, chains, hours, steps=5):
    """chains: list of zone-id lists of different lengths; hours: list of int lists (same lengths)."""
    model.eval()
    T = max(map(len, chains))
    zones = torch.tensor([[PAD] * (T - len(c)) + c for c in chains])
    hrs = torch.tensor([[0] * (T - len(h)) + h for h in hours])
    keep = zones != PAD
    positions = (keep.long().cumsum(1) - 1).clamp_min(0)
    caches = [LayerCache() for _ in model.layers]
    logits = model(zones, hrs, positions, keep, caches)
    last_pos, last_hr = positions[:, -1:], hrs[:, -1:]
    picks = []
    for _ in range(steps):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        picks.append(nxt)
        last_pos = last_pos + 1
        logits = model(nxt, last_hr, last_pos, torch.ones_like(nxt, dtype=torch.bool), caches)
    return torch.cat(picks, 1)


if __name__ == "__main__":
    lm = ZoneLM()
    print(rollout(lm, [[261, 12, 40, 41], [261, 7]], [[8, 8, 9, 9], [17, 17]]))
