from typing import Dict, List, Tuple

import torch

PAD_ID = 0
INTENTS = ["set_alarm", "play_music", "weather", "timer", "call"]


def build_vocab(texts: List[str]) -> Dict[str, int]:
    words = sorted({w for t in texts for w in t.split()})
    return {w: i + 2 for i, w in enumerate(words)}          # 0 = pad, 1 = unk


def collate(examples: List[Tuple[List[int], int]]) -> Dict[str, torch.Tensor]:
    width = max(len(ids) for ids, _ in examples)
    input_ids = torch.full((len(examples), width), PAD_ID, dtype=torch.long)
    attention_mask = torch.zeros(len(examples), width, dtype=torch.long)
    for row, (ids, _) in enumerate(examples):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        attention_mask[row, : len(ids)] = 1
    return {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "labels": torch.tensor([label for _, label in examples]),
    }
