"""Behaviour Sequence Transformer (BST) for CTR prediction."""
import torch
from torch import nn


class ScaledDotProductAttention(nn.Module):
    def __init__(self, dropout_rate: float = 0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, Q, K, V, scale=None, mask=None):
        # Q, K, V: (num_heads * batch, seq_len, head_dim); mask: same leading dim, True = padding
        scores = torch.bmm(Q, K.transpose(1, 2))
        if scale:
            scores = scores / scale
        if mask is not None:
            scores = scores.masked_fill(mask, -1e9)
        attention = self.dropout(scores.softmax(dim=-1))
        return torch.bmm(attention, V), attention


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, input_dim: int, num_heads: int = 2, dropout_rate: float = 0.0):
        super().__init__()
        self.head_dim = input_dim // num_heads
        self.num_heads = num_heads
        self.scale = self.head_dim ** 0.5
        self.W_q = nn.Linear(input_dim, input_dim, bias=False)
        self.W_k = nn.Linear(input_dim, input_dim, bias=False)
        self.W_v = nn.Linear(input_dim, input_dim, bias=False)
        self.dot_attention = ScaledDotProductAttention(dropout_rate)

    def forward(self, X, mask=None):
        batch_size = X.size(0)
        # split heads and stack them along the batch axis -> (num_heads * batch, L, head_dim)
        Q, K, V = (torch.cat(torch.split(W(X), self.head_dim, dim=2), dim=0) for W in (self.W_q, self.W_k, self.W_v))
        output, _ = self.dot_attention(Q, K, V, scale=self.scale, mask=mask)
        return torch.cat(torch.split(output, batch_size, dim=0), dim=2)


class BehaviorSequenceTransformer(nn.Module):
    def __init__(self, embedding_dim: int = 32, num_heads: int = 2, seq_len: int = 20):
        super().__init__()
        self.num_heads = num_heads
        self.position = nn.Parameter(torch.zeros(seq_len + 1, embedding_dim))
        self.attention = MultiHeadSelfAttention(embedding_dim, num_heads)
        self.ln = nn.LayerNorm(embedding_dim)
        self.ffn = nn.Sequential(nn.Linear(embedding_dim, 4 * embedding_dim), nn.LeakyReLU(),
                                 nn.Linear(4 * embedding_dim, embedding_dim))

    def get_mask(self, padding_mask):
        # padding_mask: (batch, seq_len) True = padded behaviour slot
        seq_len = padding_mask.size(1)
        return padding_mask.unsqueeze(1).repeat(self.num_heads, seq_len, 1)

    def forward(self, sequence_emb, target_emb, padding_mask):
        x = torch.cat([sequence_emb, target_emb.unsqueeze(1)], dim=1) + self.position
        pad = torch.cat([padding_mask, padding_mask.new_zeros(padding_mask.size(0), 1)], dim=1)
        x = self.ln(x + self.attention(x, mask=self.get_mask(pad)))
        x = self.ln(x + self.ffn(x))
        return x.flatten(start_dim=1)
