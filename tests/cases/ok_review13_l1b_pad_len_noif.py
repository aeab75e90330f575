"""Right padding written from the end with the *padding* length: key_padding_mask True at the pads."""
import torch
import torch.nn as nn


def collate(seqs, pad_id=0):
    max_len = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), max_len), pad_id, dtype=torch.long)
    key_padding_mask = torch.zeros(len(seqs), max_len, dtype=torch.bool)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        pad_len = max_len - len(s)
        key_padding_mask[i, max_len - pad_len:] = True
    return ids, key_padding_mask


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 32, padding_idx=0)
        layer = nn.TransformerEncoderLayer(32, 4, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)

    def forward(self, ids, key_padding_mask):
        return self.enc(self.emb(ids), src_key_padding_mask=key_padding_mask)


def main():
    ids, kpm = collate([[5, 6, 7], [8, 9]])
    return Encoder()(ids, kpm)
