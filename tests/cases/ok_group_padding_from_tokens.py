"""Padding of groups from the padding of their tokens, each handed over the right way round; a
group holding any padding token is not a padded group."""
import torch
import torch.nn as nn


class VisitModel(nn.Module):
    def __init__(self, n_codes=100, dim=32, heads=4):
        super().__init__()
        self.codes = nn.EmbeddingBag(n_codes, dim, mode="sum", padding_idx=0)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, codes):
        b, v, c = codes.shape
        x = self.codes(codes.view(b * v, c)).view(b, v, -1)
        no_visit = (codes == 0).all(dim=-1)
        h = self.encoder(x, src_key_padding_mask=no_visit)
        y, _ = self.attn(h, h, h, key_padding_mask=~(codes != 0).any(-1))
        return y


def sentence_attention(q, k, v, tokens):
    real = (tokens != 0).any(-1)
    return nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=real[:, None, None, :])
