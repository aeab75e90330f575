import re
import zlib

import torch

PAD_ID, CLS_ID, SEP_ID = 0, 1, 2
_WORD = re.compile(r"[\w']+")


class RecordTokenizer:
    """Hashing tokenizer over MARC fields, returning Hugging Face style batches."""

    def __init__(self, config):
        self.config = config

    def _ids(self, text):
        return [3 + zlib.crc32(w.lower().encode()) % (self.config.vocab_size - 3)
                for w in _WORD.findall(text)]

    def encode(self, record):
        ids = [CLS_ID]
        for tag in self.config.fields:
            for value in record.get(tag, []):
                ids += self._ids(value) + [SEP_ID]
        return ids[: self.config.max_len]

    def __call__(self, records):
        seqs = [self.encode(r) for r in records]
        width = max(map(len, seqs))
        input_ids = torch.full((len(seqs), width), PAD_ID, dtype=torch.long)
        attention_mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            input_ids[i, : len(s)] = torch.tensor(s)
            attention_mask[i, : len(s)] = 1
        return {"input_ids": input_ids, "attention_mask": attention_mask}
