import torch
import torch.nn.functional as F

SEGMENT_KINDS = ("pad", "ramp", "hold", "cool", "vent")


def collate_firings(firings):
    """firings: list of dicts with 'kind' (n,), 'params' (n, 3), 'clay', 'glaze'.

    params are ramp rate (C/h), target temperature (C) and hold (min).
    """
    longest = max(len(f["kind"]) for f in firings)
    kind, params, seg_keep = [], [], []
    for f in firings:
        gap = longest - len(f["kind"])
        kind.append(F.pad(f["kind"], (0, gap), value=0))
        params.append(F.pad(f["params"], (0, 0, 0, gap)))
        seg_keep.append(F.pad(torch.ones(len(f["kind"])), (0, gap)))
    return {
        "kind": torch.stack(kind),
        "params": torch.stack(params),
        "seg_keep": torch.stack(seg_keep),
        "clay": torch.tensor([f["clay"] for f in firings]),
        "glaze": torch.tensor([f["glaze"] for f in firings]),
    }
