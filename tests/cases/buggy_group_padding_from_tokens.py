"""Padding of groups (visits, sentences) computed from the padding of their tokens with any/all,
then handed to the attention APIs the wrong way."""
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
        has_visit = (codes != 0).any(dim=-1)
        h = self.encoder(x, src_key_padding_mask=1.0 - has_visit.float())  # expect: ML201
        y, _ = self.attn(h, h, h, key_padding_mask=has_visit)  # expect: ML101
        return y


def sentence_attention(q, k, v, tokens):
    empty = (tokens == 0).all(-1)
    return nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=empty[:, None, None, :])  # expect: ML102
