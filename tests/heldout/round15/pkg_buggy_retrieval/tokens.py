import torch

PAD_ID, CLS_ID, SEP_ID = 0, 1, 2


class ToyTokenizer:
    """Hash-bucket word tokenizer, enough for smoke tests."""

    def __init__(self, vocab_size: int = 500):
        self.vocab_size = vocab_size

    def _ids(self, text):
        return [3 + (sum(map(ord, w)) * 31) % (self.vocab_size - 3) for w in text.lower().split()]

    def pairs(self, query, passages):
        rows = [[CLS_ID, *self._ids(query), SEP_ID, *self._ids(p), SEP_ID] for p in passages]
        L = max(map(len, rows))
        return torch.tensor([r + [PAD_ID] * (L - len(r)) for r in rows])


def padding_mask(input_ids: torch.Tensor, pad_id: int = PAD_ID) -> torch.Tensor:
    return input_ids.eq(pad_id)
