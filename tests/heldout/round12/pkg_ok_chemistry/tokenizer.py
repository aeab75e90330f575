import re

import torch

_ATOM = re.compile(r"(\[[^\]]+]|Br|Cl|Si|@@|>>|[BCNOPSFIbcnops]|\(|\)|\.|=|#|-|\+|\\|/|:|~|@|\?|\*|\$|%\d{2}|\d)")


class SmilesTokenizer:
    def __init__(self):
        self.vocab = {"<pad>": 0, "<unk>": 1}

    def _id(self, tok):
        if tok not in self.vocab:
            self.vocab[tok] = len(self.vocab)
        return self.vocab[tok]

    def __call__(self, reactions, max_len=64):
        rows = [[self._id(t) for t in _ATOM.findall(r)][:max_len] for r in reactions]
        width = max(map(len, rows))
        ids = torch.zeros(len(rows), width, dtype=torch.long)
        attention_mask = torch.zeros(len(rows), width, dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            attention_mask[i, : len(r)] = 1
        return {"input_ids": ids, "attention_mask": attention_mask}
