"""Additive masks the right way round: 0 where attended, a large negative where blocked.

Hugging Face's extended attention mask ``(1.0 - mask) * torch.finfo(dtype).min``, the old BERT
``(1.0 - mask) * -10000.0``, and an upper-triangular -inf causal bias.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask, dtype):
    extended = attention_mask[:, None, None, :].to(dtype=dtype)
    return (1.0 - extended) * torch.finfo(dtype).min


class TinyEncoder(nn.Module):
    """Model entry point: input_ids and attention_mask come straight from the tokenizer."""

    def __init__(self, vocab_size=30522, hidden_size=768, num_heads=12):
        super().__init__()
        self.num_heads = num_heads
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size)
        self.out = nn.Linear(hidden_size, hidden_size)

    def forward(self, input_ids, attention_mask):
        hidden_states = self.embed(input_ids)
        B, T, C = hidden_states.shape
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in self.qkv(hidden_states).chunk(3, -1))
        extended = get_extended_attention_mask(attention_mask, q.dtype)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=extended)
        return self.out(ctx.transpose(1, 2).reshape(B, T, C))


class LegacyBertAttention(nn.Module):
    def __init__(self, hidden_size=768, num_heads=12):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size)

    def forward(self, hidden_states, attention_mask):
        B, T, C = hidden_states.shape
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in self.qkv(hidden_states).chunk(3, -1))
        extended = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        scores = q @ k.transpose(-1, -2) / self.head_dim ** 0.5 + extended
        probs = scores.softmax(dim=-1)
        return (probs @ v).transpose(1, 2).reshape(B, T, C)


class PoetryDecoder(nn.Module):
    def __init__(self, vocab_size, d_model=256, nhead=4, max_len=128):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.lm_head = nn.Linear(d_model, vocab_size)
        bias = torch.triu(torch.full((max_len, max_len), float("-inf")), diagonal=1)
        self.register_buffer("causal_bias", bias)

    def forward(self, tokens):
        T = tokens.size(1)
        x = self.embed(tokens)
        h, _ = self.attn(x, x, x, attn_mask=self.causal_bias[:T, :T], need_weights=False)
        return self.lm_head(x + h)
