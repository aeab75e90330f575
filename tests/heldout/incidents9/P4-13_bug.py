"""Keras-style MultiHeadAttention layer (torch port): a fused path through
scaled_dot_product_attention, and an explicit path that is taken when the attention
scores are requested or attention dropout is active."""
import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, num_heads, key_dim, dropout=0.0):
        super().__init__()
        self.num_heads, self.key_dim, self.dropout = num_heads, key_dim, dropout
        self.query_dense = nn.LazyLinear(num_heads * key_dim)
        self.key_dense = nn.LazyLinear(num_heads * key_dim)
        self.value_dense = nn.LazyLinear(num_heads * key_dim)
        self.output_dense = nn.LazyLinear(num_heads * key_dim)

    def _compute_causal_mask(self, query, value):
        q_seq_length, v_seq_length = query.shape[1], value.shape[1]
        return torch.ones(1, q_seq_length, v_seq_length, dtype=torch.bool).tril()

    def _compute_attention_mask(self, query, value, attention_mask=None, use_causal_mask=False):
        auto_mask = self._compute_causal_mask(query, value) if use_causal_mask else None
        if attention_mask is None:
            return auto_mask
        attention_mask = attention_mask.bool()
        return attention_mask if auto_mask is None else attention_mask & auto_mask

    def _split(self, x):
        return x.view(x.shape[0], x.shape[1], self.num_heads, self.key_dim).transpose(1, 2)

    def forward(self, query, value, key=None, attention_mask=None, use_causal_mask=False,
                return_attention_scores=False, training=False):
        key = value if key is None else key
        q, k, v = self._split(self.query_dense(query)), self._split(self.key_dense(key)), self._split(self.value_dense(value))
        use_dropout = training and self.dropout > 0
        if not return_attention_scores and not use_dropout:  # fused path
            mask = self._compute_attention_mask(query, value, attention_mask, use_causal_mask)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=None if mask is None else mask[:, None])
            scores = None
        else:  # explicit path
            mask = self._compute_attention_mask(query, value, attention_mask)  # BUG
            scores = (q @ k.transpose(-1, -2)) / self.key_dim ** 0.5
            if mask is not None:
                scores = scores.masked_fill(~mask[:, None], float("-inf"))
            scores = F.dropout(scores.softmax(-1), p=self.dropout, training=use_dropout)
            out = scores @ v
        out = self.output_dense(out.transpose(1, 2).reshape(query.shape[0], query.shape[1], -1))
        return (out, scores) if return_attention_scores else out


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MultiHeadAttention(num_heads=2, key_dim=4)
    x = torch.randn(1, 5, 8)
    fused = mha(x, x, use_causal_mask=True)
    explicit, scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    print(fused.shape, scores.shape)
    print("weight on future keys:", scores[0].triu(diagonal=1).sum().item())
    print("fused vs explicit:", (fused - explicit).abs().max().item())
