import torch

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]
PAD, BOS, EOS, UNK = range(4)


class Vocab:
    def __init__(self, sentences):
        words = sorted({w for s in sentences for w in s.split()})
        self.itos = SPECIALS + words
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    def __len__(self):
        return len(self.itos)

    def encode(self, s, add_bos=False):
        ids = [self.stoi.get(w, UNK) for w in s.split()] + [EOS]
        return [BOS] + ids if add_bos else ids

    def batch(self, sentences, add_bos=False):
        seqs = [torch.tensor(self.encode(s, add_bos)) for s in sentences]
        return torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=PAD)
