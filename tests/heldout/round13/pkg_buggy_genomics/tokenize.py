import itertools

import torch

from .masks import lengths_to_mask


class KmerTokenizer:
    def __init__(self, k: int = 4):
        self.k = k
        self.vocab = {"".join(p): i + 1 for i, p in enumerate(itertools.product("ACGT", repeat=k))}
        self.pad_id = 0

    def encode(self, read: str):
        return [self.vocab.get(read[i:i + self.k], self.pad_id) for i in range(len(read) - self.k + 1)]

    def batch(self, reads):
        ids = [self.encode(r) for r in reads]
        lengths = torch.tensor([len(x) for x in ids])
        out = torch.full((len(ids), int(lengths.max())), self.pad_id, dtype=torch.long)
        for i, x in enumerate(ids):
            out[i, : len(x)] = torch.tensor(x)
        return {"input_ids": out, "lengths": lengths, "valid": lengths_to_mask(lengths, out.size(1))}
