"""A PyTorch model in a module that borrows a Keras preprocessing helper: its `padding_mask`
parameter is still torch's True = padding, and its inversion still a bug."""
import torch
import torch.nn as nn
from tensorflow.keras.preprocessing.sequence import pad_sequences


class Encoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, padding_mask):
        return self.attn(x, x, x, key_padding_mask=~padding_mask)[0]  # expect: ML101


def batch(seqs):
    return torch.tensor(pad_sequences(seqs, padding="post"))
