import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


def pad_right(seqs, width):
    out = torch.full((len(seqs), width), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s[:width])
    return out


def make_masks(code, text_in):
    T = text_in.size(1)
    text_mask = nn.Transformer.generate_square_subsequent_mask(T, device=text_in.device, dtype=torch.bool)
    return text_mask, code == PAD, text_in == PAD
