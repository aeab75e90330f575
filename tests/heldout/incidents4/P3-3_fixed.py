import torch
from torch import nn


class ScaledDotProductAttention(nn.Module):
    def __init__(self, dropout_rate=0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout_rate) if dropout_rate > 0 else None

    def forward(self, Q, K, V, scale=None, mask=None):
        scores = torch.matmul(Q, K.transpose(-1, -2))
        if scale:
            scores = scores / scale
        if mask is not None:
            scores = scores.masked_fill(mask, -1e9)
        attention = scores.softmax(dim=-1)
        if self.dropout is not None:
            attention = self.dropout(attention)
        return torch.matmul(attention, V), attention


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, input_dim, num_heads=2, dropout_rate=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = input_dim // num_heads
        self.W_q = nn.Linear(input_dim, input_dim, bias=False)
        self.W_k = nn.Linear(input_dim, input_dim, bias=False)
        self.W_v = nn.Linear(input_dim, input_dim, bias=False)
        self.dot_attention = ScaledDotProductAttention(dropout_rate)
        self.layer_norm = nn.LayerNorm(input_dim)

    def forward(self, X, mask=None):
        Q, K, V = self.W_q(X), self.W_k(X), self.W_v(X)
        Q_ = torch.cat(torch.split(Q, self.head_dim, dim=2), dim=0)
        K_ = torch.cat(torch.split(K, self.head_dim, dim=2), dim=0)
        V_ = torch.cat(torch.split(V, self.head_dim, dim=2), dim=0)
        output, _ = self.dot_attention(Q_, K_, V_, scale=self.head_dim ** 0.5, mask=mask)
        output = torch.cat(torch.split(output, X.size(0), dim=0), dim=2)
        return self.layer_norm(output + X)


class BST(nn.Module):
    def __init__(self, num_items, embedding_dim=16, num_heads=2, use_causal_mask=False):
        super().__init__()
        self.num_heads = num_heads
        self.use_causal_mask = use_causal_mask
        self.item_embedding = nn.Embedding(num_items, embedding_dim, padding_idx=0)
        self.attention = MultiHeadSelfAttention(embedding_dim, num_heads)
        self.dnn = nn.Sequential(nn.Linear(2 * embedding_dim, 32), nn.ReLU(), nn.Linear(32, 1))

    def get_mask(self, x):
        padding_mask = (x == 0)
        seq_len = padding_mask.size(1)
        attn_mask = padding_mask.repeat(self.num_heads, 1).unsqueeze(1).expand(-1, seq_len, -1)
        if self.use_causal_mask:
            causal_mask = torch.triu(torch.ones(seq_len, seq_len, device=x.device), 1).bool()
            attn_mask = attn_mask | causal_mask.unsqueeze(0)
        return padding_mask, attn_mask

    def forward(self, history_ids, target_id):
        seq = torch.cat([history_ids, target_id.unsqueeze(1)], dim=1)
        padding_mask, attn_mask = self.get_mask(seq)
        emb = self.attention(self.item_embedding(seq), mask=attn_mask)
        keep = (~padding_mask).unsqueeze(-1).float()
        pooled = (emb * keep).sum(1) / keep.sum(1)
        return torch.sigmoid(self.dnn(torch.cat([pooled, emb[:, -1]], dim=-1)))
