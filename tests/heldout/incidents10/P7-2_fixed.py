"""Reproducer-style script (pytorch#26098): a TransformerEncoder fed a
randomly generated src_key_padding_mask.  Some samples come out fully padded
and their outputs are NaN.  Data-dependent (runtime-only): the mask content,
not its construction API, decides."""
import torch
import torch.nn as nn

S, N, E = 4, 8, 16

encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 32, dropout=0.0, batch_first=True), num_layers=2,
                                enable_nested_tensor=False)


def make_batch(generator):
    src = torch.randn(N, S, E, generator=generator)
    lengths = torch.randint(1, S + 1, (N,), generator=generator)
    src_key_padding_mask = torch.arange(S)[None, :] >= lengths[:, None]
    return src, src_key_padding_mask


if __name__ == "__main__":
    g = torch.Generator().manual_seed(2)
    encoder.eval()
    src, kpm = make_batch(g)
    with torch.no_grad():
        out = encoder(src, src_key_padding_mask=kpm)
    print("fully padded samples:", int(kpm.all(-1).sum()), "| NaN in output:", bool(out.isnan().any()))
