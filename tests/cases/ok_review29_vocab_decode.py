import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def collate(batch):
    # ids padded with 0 (the tokenizer's pad id)
    return pad_sequence([torch.tensor(b) for b in batch], batch_first=True, padding_value=0)


def detokenize(tokens):
    return " ".join(t for t in tokens if t not in ("<s>", "</s>", "<pad>"))


class Encoder(nn.Module):
    def __init__(self, vocab_size, d=128):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, ids):
        return self.enc(self.emb(ids), src_key_padding_mask=ids == 0)
