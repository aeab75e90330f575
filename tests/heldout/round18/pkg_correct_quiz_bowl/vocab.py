from collections import Counter


class PacketVocab:
    SPECIALS = ("<unk>", "<s>", "</s>", "<pad>")

    def __init__(self, texts):
        counts = Counter(w for t in texts for w in t.lower().split())
        self.itos = list(self.SPECIALS) + sorted(counts)
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
