"""Key padding masks written per sample down a column (`mask[n:, b] = True`): (S, N), where the
API wants (N, S) (P3-7)."""
import torch
import torch.nn as nn

layer = nn.TransformerEncoderLayer(32, 4)
encoder = nn.TransformerEncoder(layer, 2)


def make_mask(max_len, lengths):
    mask = torch.zeros(max_len, len(lengths), dtype=torch.bool)
    for b, n in enumerate(lengths):
        mask[n:, b] = True
    return mask


def encode(x, lengths):
    # x: (S, N, E), seq-first
    return encoder(x, src_key_padding_mask=make_mask(x.size(0), lengths))  # expect: ML304


def encode_keep(x, lengths):
    keep = torch.zeros(x.size(0), x.size(1), dtype=torch.bool)
    for i, length in enumerate(lengths):
        keep[:length, i] = True
    return encoder(x, src_key_padding_mask=~keep)  # expect: ML304


def lengths_to_mask(lengths, max_len):
    steps = torch.arange(max_len, device=lengths.device)[:, None]
    return steps >= lengths[None, :]


def encode_from_lengths(x, lengths):
    return encoder(x, src_key_padding_mask=lengths_to_mask(lengths, x.size(0)))  # expect: ML304
