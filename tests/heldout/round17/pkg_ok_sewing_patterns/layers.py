from functools import partial

import torch.nn as nn

DecoderLayer = partial(nn.TransformerDecoderLayer, dim_feedforward=256, dropout=0.1,
                       activation="gelu", batch_first=True, norm_first=True)
EncoderLayer = partial(nn.TransformerEncoderLayer, dim_feedforward=256, dropout=0.1,
                       activation="gelu", batch_first=True, norm_first=True)


def stack(layer, n, norm_dim, kind):
    if kind == "decoder":
        return nn.TransformerDecoder(layer, n, norm=nn.LayerNorm(norm_dim))
    return nn.TransformerEncoder(layer, n, norm=nn.LayerNorm(norm_dim), enable_nested_tensor=False)
