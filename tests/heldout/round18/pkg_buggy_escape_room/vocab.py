"""Word-level vocabulary shared by the clue encoder and the hint decoder."""
from collections import Counter


class HintVocab:
    SPECIALS = ("<unk>", "<s>", "</s>", "<pad>")

    def __init__(self, texts, min_count=1):
        counts = Counter(w for t in texts for w in t.lower().split())
        words = sorted(w for w, c in counts.items() if c >= min_count)
        self.itos = list(self.SPECIALS) + words
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    @property
    def pad_id(self):
        return self.stoi["<pad>"]

    @property
    def bos_id(self):
        return self.stoi["<s>"]

    @property
    def eos_id(self):
        return self.stoi["</s>"]

    def __len__(self):
        return len(self.itos)

    def encode(self, text):
        return [self.stoi.get(w, 0) for w in text.lower().split()]
