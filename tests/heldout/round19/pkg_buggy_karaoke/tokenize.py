import re

import torch

MAX_LEN = 24
PAD, BOS, EOS = 0, 1, 2
# MIDI pitches 48..83 x 4 duration classes, after the specials
NOTE_VOCAB = ["<pad>", "<s>", "</s>", "<rest>"] + [f"{p}:{d}" for p in range(48, 84) for d in ("8th", "q", "h", "w")]


class SyllableTokenizer:
    """Splits lyrics into rough syllables; everything is padded to MAX_LEN like the exported model expects."""

    def __init__(self):
        self.vocab = {"<pad>": PAD, "<s>": BOS, "</s>": EOS}

    def syllables(self, line):
        return re.findall(r"[^aeiouy\s]*[aeiouy]+(?:[^aeiouy\s](?![aeiouy]))*", line.lower())

    def encode_lyrics(self, lines):
        rows = []
        for line in lines:
            ids = [self.vocab.setdefault(s, len(self.vocab)) for s in self.syllables(line)][: MAX_LEN]
            rows.append(ids + [PAD] * (MAX_LEN - len(ids)))
        ids = torch.tensor(rows)
        return ids, ids.eq(PAD)

    def encode_notes(self, melodies):
        rows = []
        for mel in melodies:
            # one extra slot: the decoder is fed notes[:, :-1] and predicts notes[:, 1:]
            ids = [BOS] + [NOTE_VOCAB.index(n) for n in mel][: MAX_LEN - 1] + [EOS]
            rows.append(ids + [PAD] * (MAX_LEN + 1 - len(ids)))
        ids = torch.tensor(rows)
        return ids, ids.eq(PAD)
