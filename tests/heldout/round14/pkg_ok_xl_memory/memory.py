from typing import List, Optional

import torch


def init_mems(n_layers: int) -> List[Optional[torch.Tensor]]:
    return [None] * n_layers


def update_mems(mems, hids, mem_len: int):
    new = []
    with torch.no_grad():
        for old, h in zip(mems, hids):
            cat = h if old is None else torch.cat([old, h], dim=1)
            new.append(cat[:, -mem_len:].detach())
    return new
