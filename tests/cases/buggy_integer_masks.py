"""Integer masks passed to torch attention (P2-3).

nn.Transformer* and nn.MultiheadAttention assert "only bool and floating types of
key_padding_mask are supported"; scaled_dot_product_attention raises "Expected attn_mask dtype
to be bool or float" for a tokenizer's int64 attention_mask, even when it is already
broadcast to (N, 1, 1, S) and has the right polarity.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BytePairEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=512, nhead=8, num_layers=6, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)

    def forward(self, src):
        padding = (src == self.pad_idx).long()
        return self.encoder(self.embed(src), src_key_padding_mask=padding)  # expect: ML203


class LocalWindowAttention(nn.Module):
    def __init__(self, d_model, nhead, window=16):
        super().__init__()
        self.window = window
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, x):
        T = x.size(1)
        idx = torch.arange(T, device=x.device)
        outside = ((idx[None, :] - idx[:, None]).abs() > self.window).to(torch.uint8)
        y, _ = self.attn(x, x, x, attn_mask=outside, need_weights=False)  # expect: ML203
        return y


class TinyBertSDPA(nn.Module):
    """Model entry point: input_ids and attention_mask come straight from the tokenizer."""

    def __init__(self, vocab_size=30522, hidden_size=768, num_heads=12):
        super().__init__()
        self.num_heads = num_heads
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size)

    def forward(self, input_ids, attention_mask):
        hidden_states = self.embed(input_ids)
        B, T, C = hidden_states.shape
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in self.qkv(hidden_states).chunk(3, -1))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask[:, None, None, :])  # expect: ML203
        return ctx.transpose(1, 2).reshape(B, T, C)
