"""Additive masks with the large negative on the positions that should be attended.

``attention_mask * -10000.0`` puts -10000 on the real tokens (the tokenizer mask is 1 there)
and 0 on the padding; ``torch.tril(torch.full(..., -inf))`` puts -inf on the past and on the
diagonal, leaving only the future visible (and the last row fully masked).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


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
        extended = attention_mask[:, None, None, :].to(q.dtype) * -10000.0
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=extended)  # expect: ML103
        return self.out(ctx.transpose(1, 2).reshape(B, T, C))


class PoetryDecoder(nn.Module):
    def __init__(self, vocab_size, d_model=256, nhead=4, max_len=128):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.lm_head = nn.Linear(d_model, vocab_size)
        self.register_buffer("causal_bias", torch.tril(torch.full((max_len, max_len), float("-inf"))))

    def forward(self, tokens):
        T = tokens.size(1)
        x = self.embed(tokens)
        h, _ = self.attn(x, x, x, attn_mask=self.causal_bias[:T, :T], need_weights=False)  # expect: ML103
        return self.lm_head(x + h)
