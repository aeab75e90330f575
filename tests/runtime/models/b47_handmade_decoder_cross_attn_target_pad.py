"""Buggy: a hand-built seq-first decoder layer (nn.MultiheadAttention for self- and cross-attention)
gives its cross-attention the target padding mask; source and target are padded to one length,
so nothing raises, and the encoder's padded frames stay visible."""
import torch
import torch.nn as nn

KIND = "buggy"


class DecoderLayer(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads)
        self.cross = nn.MultiheadAttention(d, heads)

    def forward(self, y, memory, causal, y_pad, memory_pad):
        y = y + self.self_attn(y, y, y, attn_mask=causal, key_padding_mask=y_pad)[0]
        return y + self.cross(y, memory, memory, key_padding_mask=y_pad)[0]  # expect: ML503


def run():
    torch.manual_seed(0)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, 0.0), 1, enable_nested_tensor=False)
    dec = DecoderLayer()
    src, tgt = torch.randn(6, 3, 16), torch.randn(6, 3, 16)  # (S, N, E), S == T == 6
    src_pad = torch.arange(6)[None, :] >= torch.tensor([6, 3, 4])[:, None]
    tgt_pad = torch.arange(6)[None, :] >= torch.tensor([5, 6, 2])[:, None]
    causal = torch.ones(6, 6, dtype=torch.bool).triu(1)
    memory = enc(src, src_key_padding_mask=src_pad)
    out = dec(tgt, memory, causal, tgt_pad, src_pad)
    out.sum().backward()
    return (out.detach(),)
