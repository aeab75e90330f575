"""A tiny k-mer tokenizer with a Hugging Face-like output dict."""
from itertools import product

import torch


class KmerTokenizer:
    specials = ("[PAD]", "[CLS]", "[UNK]")

    def __init__(self, k: int = 3):
        self.k = k
        kmers = ["".join(p) for p in product("ACGT", repeat=k)]
        self.vocab = {tok: i for i, tok in enumerate(self.specials + tuple(kmers))}
        self.pad_token_id = self.vocab["[PAD]"]

    def encode(self, read: str):
        ids = [self.vocab["[CLS]"]]
        for i in range(len(read) - self.k + 1):
            ids.append(self.vocab.get(read[i:i + self.k], self.vocab["[UNK]"]))
        return ids

    def __call__(self, reads):
        encoded = [self.encode(r.upper()) for r in reads]
        width = max(map(len, encoded))
        input_ids = torch.full((len(encoded), width), self.pad_token_id, dtype=torch.long)
        attention_mask = torch.zeros((len(encoded), width), dtype=torch.long)
        for row, ids in enumerate(encoded):
            input_ids[row, :len(ids)] = torch.tensor(ids)
            attention_mask[row, :len(ids)] = 1
        return {"input_ids": input_ids, "attention_mask": attention_mask}
