"""RoBERTa-like encoder with eager and SDPA attention implementations, using
the Hugging Face extended-attention-mask convention."""
import math

import torch
from torch import nn
import torch.nn.functional as F


class EncoderSelfAttention(nn.Module):
    def __init__(self, hidden_size, num_heads, dropout, attn_implementation="sdpa"):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size)
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.dropout = dropout
        self.attn_implementation = attn_implementation

    def forward(self, hidden_states, extended_attention_mask):
        B, S, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, S, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if self.attn_implementation == "sdpa":
            ctx = F.scaled_dot_product_attention(
                q, k, v,
                attn_mask=extended_attention_mask,
                dropout_p=self.dropout if self.training else 0.0,
            )
        else:
            scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
            scores = scores + extended_attention_mask
            probs = F.dropout(scores.softmax(-1), p=self.dropout, training=self.training)
            ctx = probs @ v
        return self.dense(ctx.transpose(1, 2).reshape(B, S, -1))


class EncoderLayer(nn.Module):
    def __init__(self, hidden_size=768, num_heads=12, dropout=0.1, attn_implementation="sdpa"):
        super().__init__()
        self.attention = EncoderSelfAttention(hidden_size, num_heads, dropout, attn_implementation)
        self.ln1 = nn.LayerNorm(hidden_size)
        self.ffn = nn.Sequential(nn.Linear(hidden_size, 4 * hidden_size), nn.GELU(), nn.Linear(4 * hidden_size, hidden_size))
        self.ln2 = nn.LayerNorm(hidden_size)

    def forward(self, x, extended_attention_mask):
        x = self.ln1(x + self.attention(x, extended_attention_mask))
        return self.ln2(x + self.ffn(x))


class RobertaLikeEncoder(nn.Module):
    def __init__(self, vocab_size=50265, hidden_size=768, num_layers=12, num_heads=12, pad_token_id=1,
                 attn_implementation="sdpa"):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size, padding_idx=pad_token_id)
        self.position_embeddings = nn.Embedding(514, hidden_size)
        self.layers = nn.ModuleList(
            EncoderLayer(hidden_size, num_heads, attn_implementation=attn_implementation) for _ in range(num_layers)
        )

    @property
    def dtype(self):
        return self.word_embeddings.weight.dtype

    def get_extended_attention_mask(self, attention_mask):
        # (B, S) 1/0 -> (B, 1, 1, S) additive: 0 for tokens, large negative for padding
        ext = attention_mask[:, None, None, :].to(dtype=self.dtype)
        return (1.0 - ext) * torch.finfo(self.dtype).min

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.pad_token_id).long()
        ext = self.get_extended_attention_mask(attention_mask)
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.word_embeddings(input_ids) + self.position_embeddings(pos + 2)
        for layer in self.layers:
            h = layer(h, ext)
        return h
