import torch
import torch.nn as nn


def pad_batch(sequences, d_model=10):
    """Stack variable-length (len, d_model) feature sequences into (S, N, E) plus a padding mask."""
    max_len = max(s.size(0) for s in sequences)
    batch = torch.zeros(max_len, len(sequences), d_model)
    pad_flags = []
    for i, seq in enumerate(sequences):
        batch[: seq.size(0), i] = seq
        flags = torch.ones(max_len, dtype=torch.bool)
        flags[: seq.size(0)] = False
        pad_flags.append(flags)
    mask = torch.stack(pad_flags, dim=0)
    return batch, mask


model = nn.TransformerEncoder(
    nn.TransformerEncoderLayer(d_model=10, nhead=1, dim_feedforward=50, dropout=0.0),
    3,
    enable_nested_tensor=False,
)


def encode(sequences):
    x, mask = pad_batch(sequences)
    return model(x, src_key_padding_mask=mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    # a batch of two 2-step sequences runs fine ...
    two = [torch.randn(2, 10), torch.randn(1, 10)]
    print(encode(two).shape)
    # ... but the last, smaller batch has a single sequence
    print(encode([torch.randn(2, 10)]).shape)
