"""A padded batch with its padding mask (silent)."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


class Encoder(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, input_ids, attention_mask):
        return self.layer(self.emb(input_ids), src_key_padding_mask=attention_mask == 0)


def collate(batch, pad_token_id=0):
    longest = max(len(x) for x in batch)
    input_ids = torch.full((len(batch), longest), pad_token_id, dtype=torch.long)
    for i, x in enumerate(batch):
        input_ids[i, : len(x)] = torch.tensor(x)
    attention_mask = (input_ids != pad_token_id).long()
    return input_ids, attention_mask


def encode(model: Encoder, batch):
    input_ids, attention_mask = collate(batch)
    return model(input_ids, attention_mask)


def encode_sequences(model: Encoder, seqs):
    ids = pad_sequence([torch.tensor(s) for s in seqs], batch_first=True, padding_value=0)
    return model(ids, (ids != 0).long())


def collate_dict(examples, pad_id=0):
    longest = max(len(e) for e in examples)
    input_ids = torch.full((len(examples), longest), pad_id, dtype=torch.long)
    attention_mask = torch.zeros(input_ids.shape, dtype=torch.long)
    for i, e in enumerate(examples):
        input_ids[i, : len(e)] = torch.tensor(e)
        attention_mask[i, : len(e)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}
