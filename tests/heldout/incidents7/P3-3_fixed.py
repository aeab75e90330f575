"""Behaviour-sequence CTR model in the style of reczoo/FuxiCTR (InterHAt / BST family):
a hand-written multi-head attention that folds heads into the batch dimension."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledDotProductAttention(nn.Module):
    def __init__(self, dropout_rate=0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout_rate) if dropout_rate > 0 else None

    def forward(self, Q, K, V, scale=None, mask=None):
        # mask: 0 for masked positions
        scores = torch.matmul(Q, K.transpose(-1, -2))
        if scale:
            scores = scores / scale
        if mask is not None:
            scores = scores.masked_fill_(mask == 0, -1e9)
        attention = scores.softmax(dim=-1)
        if self.dropout is not None:
            attention = self.dropout(attention)
        return torch.matmul(attention, V), attention


class MultiHeadAttention(nn.Module):
    def __init__(self, input_dim, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.attention_dim = input_dim // num_heads
        self.scale = self.attention_dim ** 0.5
        self.W_q = nn.Linear(input_dim, input_dim, bias=False)
        self.W_k = nn.Linear(input_dim, input_dim, bias=False)
        self.W_v = nn.Linear(input_dim, input_dim, bias=False)
        self.dot_product_attention = ScaledDotProductAttention()
        self.layer_norm = nn.LayerNorm(input_dim)

    def _split(self, x):
        b, l, _ = x.shape
        return x.view(b, l, self.num_heads, self.attention_dim).transpose(1, 2).reshape(b * self.num_heads, l, self.attention_dim)

    def forward(self, query, key, value, mask=None):
        residual = query
        batch_size = query.size(0)
        query, key, value = self._split(self.W_q(query)), self._split(self.W_k(key)), self._split(self.W_v(value))
        if mask is not None:
            mask = mask.unsqueeze(1).repeat(1, self.num_heads, 1, 1).flatten(end_dim=1)
        output, attention = self.dot_product_attention(query, key, value, self.scale, mask)
        output = output.view(batch_size, self.num_heads, -1, self.attention_dim).transpose(1, 2).reshape(batch_size, -1, self.num_heads * self.attention_dim)
        return self.layer_norm(output + residual)


class BehaviorSequenceCTR(nn.Module):
    def __init__(self, num_items=100, embedding_dim=16, num_heads=2):
        super().__init__()
        self.item_emb = nn.Embedding(num_items, embedding_dim, padding_idx=0)
        self.mha = MultiHeadAttention(embedding_dim, num_heads)
        self.dnn = nn.Sequential(nn.Linear(2 * embedding_dim, 32), nn.ReLU(), nn.Linear(32, 1))

    def get_mask(self, x):
        """attn_mask: B x L x L, 0 for masked positions"""
        padding_mask = x > 0
        seq_len = padding_mask.size(1)
        attn_mask = padding_mask.unsqueeze(1).repeat(1, seq_len, 1)
        diag_ones = torch.eye(seq_len, dtype=torch.bool).unsqueeze(0).expand_as(attn_mask)
        return padding_mask, attn_mask | diag_ones

    def forward(self, inputs):
        seq, target = inputs["click_history"], inputs["item_id"]
        padding_mask, attn_mask = self.get_mask(seq)
        seq_emb = self.mha(self.item_emb(seq), self.item_emb(seq), self.item_emb(seq), mask=attn_mask)
        w = padding_mask.unsqueeze(-1).float()
        pooled = (seq_emb * w).sum(1) / w.sum(1).clamp(min=1)
        return self.dnn(torch.cat([pooled, self.item_emb(target)], dim=-1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BehaviorSequenceCTR()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    inputs = {
        "click_history": torch.tensor([[5, 9, 12, 0, 0], [7, 0, 0, 0, 0], [3, 4, 5, 6, 8]]),
        "item_id": torch.tensor([11, 2, 40]),
    }
    label = torch.tensor([1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(model(inputs), label)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("logloss", loss.item())
