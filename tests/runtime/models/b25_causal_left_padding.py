"""Buggy: causal mask + left padding in an encoder layer (eval): the leading pad queries see only pad keys -> NaN. P7-5/P7-6."""
import torch
import torch.nn as nn

KIND = "buggy"


class LeftPaddedCausal(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(E, H, 32, batch_first=True)

    def forward(self, x, attention_mask):
        L = x.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.bool)
        return self.layer(x, src_mask=causal, src_key_padding_mask=attention_mask == 0)  # expect: ML601


def _setup():
    torch.manual_seed(0)
    am = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    return LeftPaddedCausal().eval(), torch.randn(2, 6, 16), am


def run():
    m, x, am = _setup()
    with torch.no_grad():
        return (m(x, am),)


def verify():
    m, x, am = _setup()
    with torch.no_grad():
        out = m(x, am)
    nan = torch.isnan(out).any(-1)
    return bool(nan[0, 0]), f"NaN rows (sample, pos): {nan.nonzero().tolist()}"
