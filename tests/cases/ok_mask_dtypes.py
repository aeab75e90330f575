"""Bool masks, or float masks that really are additive (0 / -inf), for every API."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalMHA(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.mha = nn.MultiheadAttention(d_model, nhead)

    def forward(self, x):
        T = x.size(0)
        keep = torch.tril(torch.ones(T, T, device=x.device))
        mask = torch.zeros(T, T, device=x.device).masked_fill(keep == 0, float("-inf"))
        out, weights = self.mha(x, x, x, attn_mask=mask)
        return out, weights


class TokenTagger(nn.Module):
    def __init__(self, vocab_size, num_tags, d_model=256, nhead=8, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.tag = nn.Linear(d_model, num_tags)

    def forward(self, tokens):
        pad = tokens == self.pad_idx
        h = self.layer(self.embed(tokens), src_key_padding_mask=pad)
        return self.tag(h)


class LocalWindowAttention(nn.Module):
    def __init__(self, d_model, nhead, window=16):
        super().__init__()
        self.window = window
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, x):
        T = x.size(1)
        idx = torch.arange(T, device=x.device)
        outside = (idx[None, :] - idx[:, None]).abs() > self.window
        y, _ = self.attn(x, x, x, attn_mask=outside, need_weights=False)
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
        keep = attention_mask[:, None, None, :].bool()
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return ctx.transpose(1, 2).reshape(B, T, C)
