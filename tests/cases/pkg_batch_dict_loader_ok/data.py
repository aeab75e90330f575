import torch

STEP_KINDS = ("pad", "warm", "hold", "cool")


def collate_programs(programs):
    longest = max(len(p["kind"]) for p in programs)
    keep = torch.zeros(len(programs), longest)
    kind = torch.zeros(len(programs), longest, dtype=torch.long)
    for i, p in enumerate(programs):
        kind[i, : len(p["kind"])] = p["kind"]
        keep[i, : len(p["kind"])] = 1.0
    return {"kind": kind, "step_keep": keep}
