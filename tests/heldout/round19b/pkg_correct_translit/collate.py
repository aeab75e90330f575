from typing import Dict, List, Sequence, Tuple

import torch

from .config import TranslitConfig


def _pad(seqs: Sequence[Sequence[int]], width: int, pad_id: int) -> torch.Tensor:
    out = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        s = list(s)[:width]
        out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def collate_pairs(pairs: List[Tuple[List[int], List[int]]], cfg: TranslitConfig) -> Dict[str, torch.Tensor]:
    src = _pad([p[0] for p in pairs], cfg.max_len, cfg.pad_id)
    tgt = _pad([[cfg.bos_id] + p[1] + [cfg.eos_id] for p in pairs], cfg.max_len + 1, cfg.pad_id)
    return {
        "src": src,
        "src_pad": src.eq(cfg.pad_id),
        "tgt_in": tgt[:, :-1],
        "tgt_pad": tgt[:, :-1].eq(cfg.pad_id),
        "tgt_out": tgt[:, 1:].masked_fill(tgt[:, 1:].eq(cfg.pad_id), -100),
    }
