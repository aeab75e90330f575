import torch
from torch import nn


class ScaledDotProductAttention(nn.Module):
    def __init__(self, dropout_rate=0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, Q, K, V, mask=None):
        scores = torch.bmm(Q, K.transpose(1, 2)) / (Q.size(-1) ** 0.5)
        if mask is not None:
            scores = scores.masked_fill(mask, -1e9)  # mask: True = masked
        attention = self.dropout(scores.softmax(dim=-1))
        return torch.bmm(attention, V)


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, input_dim, num_heads=2, dropout_rate=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = input_dim // num_heads
        self.W_q = nn.Linear(input_dim, input_dim, bias=False)
        self.W_k = nn.Linear(input_dim, input_dim, bias=False)
        self.W_v = nn.Linear(input_dim, input_dim, bias=False)
        self.attention = ScaledDotProductAttention(dropout_rate)

    def forward(self, X, attn_mask=None):
        # heads are stacked head-major: index = h * batch_size + b
        Q = torch.cat(self.W_q(X).split(self.head_dim, dim=2), dim=0)
        K = torch.cat(self.W_k(X).split(self.head_dim, dim=2), dim=0)
        V = torch.cat(self.W_v(X).split(self.head_dim, dim=2), dim=0)
        out = self.attention(Q, K, V, mask=attn_mask)
        return torch.cat(out.split(X.size(0), dim=0), dim=2)


class BehaviorSequenceTransformer(nn.Module):
    def __init__(self, embedding_dim=64, num_heads=2, use_causal_mask=False):
        super().__init__()
        self.num_heads = num_heads
        self.use_causal_mask = use_causal_mask
        self.item_emb = nn.Embedding(10000, embedding_dim, padding_idx=0)
        self.mhsa = MultiHeadSelfAttention(embedding_dim, num_heads)

    def get_mask(self, x):
        """padding_mask / attn_mask: True for masked positions."""
        padding_mask = x == 0
        seq_len = padding_mask.size(1)
        attn_mask = padding_mask.unsqueeze(1).repeat(self.num_heads, seq_len, 1)  # (H*B, L, L), head-major
        diag_zeros = (1 - torch.eye(seq_len, device=x.device)).bool().unsqueeze(0).expand_as(attn_mask)
        attn_mask = attn_mask & diag_zeros
        if self.use_causal_mask:
            causal = torch.triu(torch.ones(seq_len, seq_len, device=x.device), 1).bool()
            attn_mask = attn_mask | causal.unsqueeze(0)
        return padding_mask, attn_mask

    def forward(self, seq_ids):
        padding_mask, attn_mask = self.get_mask(seq_ids)
        out = self.mhsa(self.item_emb(seq_ids), attn_mask=attn_mask)
        keep = (~padding_mask).unsqueeze(-1).float()
        return (out * keep).sum(1) / keep.sum(1).clamp(min=1.0)


if __name__ == "__main__":
    model = BehaviorSequenceTransformer()
    seq = torch.tensor([[12, 55, 7, 0, 0], [3, 4, 5, 6, 7], [9, 0, 0, 0, 0]])
    print(model(seq).shape)
