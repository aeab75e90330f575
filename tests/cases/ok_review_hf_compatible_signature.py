"""Encoder layers with HF-compatible signatures: cross-attention arguments accepted and unused."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ff = nn.Linear(d, d)

    def forward(self, hidden_states, attention_mask=None, head_mask=None, encoder_hidden_states=None,
                encoder_attention_mask=None, output_attentions=False):
        # encoder-only model: the cross-attention arguments exist for API compatibility
        pad = attention_mask == 0 if attention_mask is not None else None
        out, w = self.attn(hidden_states, hidden_states, hidden_states, key_padding_mask=pad,
                           need_weights=output_attentions)
        return self.ff(out + hidden_states)


class CausalBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, attn_mask, memory_mask=None):
        # decoder-only block; `memory_mask` kept so it can replace nn.TransformerDecoderLayer
        del memory_mask
        return self.attn(x, x, x, attn_mask=attn_mask, need_weights=False)[0]


class CrossBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.cross = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, mem, tgt_mask, memory_key_padding_mask, tgt_key_padding_mask=None):
        x = x + self.self_attn(x, x, x, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)[0]
        return x + self.cross(x, mem, mem, key_padding_mask=memory_key_padding_mask)[0]
