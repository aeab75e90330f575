import torch

SEQ_LEN = 32
PAD, BOS, EOS = 0, 1, 2
PROSODY = ["<pad>", "<s>", "</s>", "none", "pause_short", "pause_long", "accent_H", "accent_L", "rate_up", "rate_down", "breath"]


class TextBatcher:
    def __init__(self):
        self.vocab = {"<pad>": PAD, "<s>": BOS, "</s>": EOS}

    def _fit(self, ids, width):
        ids = ids[:width]
        return ids + [PAD] * (width - len(ids))

    def words(self, sentences):
        rows = [self._fit([self.vocab.setdefault(w, len(self.vocab)) for w in s.lower().split()], SEQ_LEN) for s in sentences]
        ids = torch.tensor(rows)
        return ids, ids == PAD

    def prosody(self, marks):
        rows = [self._fit([BOS] + [PROSODY.index(m) for m in seq] + [EOS], SEQ_LEN + 1) for seq in marks]
        ids = torch.tensor(rows)
        return ids, ids == PAD
