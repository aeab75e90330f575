"""Masks written through a boolean index (`mask[tokens == pad] = 0.0`) into a constant tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=64, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, tokens):
        keep = torch.ones(tokens.shape, dtype=torch.float32, device=tokens.device)
        keep[tokens == self.pad_idx] = 0.0
        return self.layer(self.emb(tokens), src_key_padding_mask=keep)  # expect: ML201


def keep_mask_as_bool(q, k, v, ids, pad_idx):
    hide = torch.zeros(ids.shape, dtype=torch.bool, device=ids.device)
    hide[ids == pad_idx] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hide[:, None, None, :])  # expect: ML102
