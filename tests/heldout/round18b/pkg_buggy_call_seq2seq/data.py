import torch

from .masks import BOS_IDX, EOS_IDX, PAD_IDX

MAX_LEN = 10


def encode_batch(sentences, vocab, max_len=MAX_LEN):
    cols = []
    for s in sentences:
        ids = [BOS_IDX] + [vocab.setdefault(w, len(vocab) + 4) for w in s.split()][: max_len - 2] + [EOS_IDX]
        cols.append(ids + [PAD_IDX] * (max_len - len(ids)))
    return torch.tensor(cols, dtype=torch.long).t().contiguous()


PAIRS = [
    ("ein mann fährt fahrrad", "a man rides a bike"),
    ("zwei hunde spielen im schnee", "two dogs play in the snow"),
    ("eine frau liest", "a woman reads"),
]
