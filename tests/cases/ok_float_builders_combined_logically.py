"""The same masks built as bool (dtype=torch.bool, or compared before joining): `&` and `|` work,
and a float 0/1 mask is turned into an additive one instead."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SetAttention(nn.Module):
    def __init__(self, dim=32, heads=4, max_len=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)))
        self.register_buffer("causal_f", torch.tril(torch.ones(max_len, max_len)))

    def forward(self, x, valid):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = self.causal[:S, :S] & valid[:, None, None, :]
        keep2 = (self.causal_f[:S, :S] > 0) & valid[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep & keep2)


def merge_audio_mask(attention_mask, audio_positions, width):
    final = torch.zeros(attention_mask.size(0), width, dtype=attention_mask.dtype)
    final[:, : attention_mask.size(1)] = attention_mask
    final |= audio_positions
    return final


def make_trg_mask(trg, pad_idx):
    """The bentrevett seq2seq tutorial's mask: the float tril cast to uint8 before `&` (uint8 & bool works)."""
    trg_pad_mask = (trg != pad_idx).unsqueeze(1).unsqueeze(2)
    trg_len = trg.shape[1]
    trg_sub_mask = torch.tril(torch.ones(trg_len, trg_len)).type(torch.ByteTensor)
    return trg_pad_mask & trg_sub_mask
