"""Masks known only by their names, passed positionally into a key padding slot: MHA's fourth
argument is key_padding_mask, nn.TransformerEncoderLayer's third is src_key_padding_mask, so a
chunk or causal (L, S) mask handed there is read as per-sample padding (or rejected by shape)."""
import torch.nn as nn


class StreamingBlock(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, chunk_mask):
        return self.self_attn(x, x, x, chunk_mask)[0]  # expect: ML501


class Layer(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.enc = nn.TransformerEncoderLayer(d, heads, batch_first=True)

    def forward(self, src, src_mask, causal_mask):
        return self.enc(src, src_mask, causal_mask)  # expect: ML501
