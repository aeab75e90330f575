import torch
from torch import nn


class ScaledDotProductAttention(nn.Module):
    def __init__(self, dropout_rate=0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, Q, K, V, scale=None, mask=None):
        scores = torch.matmul(Q, K.transpose(-1, -2))
        if scale:
            scores = scores / scale
        if mask is not None:
            scores = scores.masked_fill_(mask, -1e9)
        attention = self.dropout(scores.softmax(dim=-1))
        return torch.matmul(attention, V), attention


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, input_dim, attention_dim=None, num_heads=1, use_residual=True):
        super().__init__()
        self.attention_dim = attention_dim or input_dim
        self.head_dim = self.attention_dim // num_heads
        self.num_heads = num_heads
        self.use_residual = use_residual
        self.W_q = nn.Linear(input_dim, self.attention_dim, bias=False)
        self.W_k = nn.Linear(input_dim, self.attention_dim, bias=False)
        self.W_v = nn.Linear(input_dim, self.attention_dim, bias=False)
        self.dot_attention = ScaledDotProductAttention()

    def forward(self, X, mask=None):
        residual = X
        query, key, value = self.W_q(X), self.W_k(X), self.W_v(X)
        split = lambda t: torch.cat(t.split(self.head_dim, dim=-1), dim=0)
        query, key, value = split(query), split(key), split(value)
        output, _ = self.dot_attention(query, key, value, scale=self.head_dim ** 0.5, mask=mask)
        output = torch.cat(output.split(X.size(0), dim=0), dim=-1)
        return output + residual if self.use_residual else output


class BehaviorSequenceTransformer(nn.Module):
    def __init__(self, num_items=100, emb_dim=16, num_heads=2, seq_len=6):
        super().__init__()
        self.seq_len, self.num_heads = seq_len, num_heads
        self.item_emb = nn.Embedding(num_items, emb_dim, padding_idx=0)
        self.attn = MultiHeadSelfAttention(emb_dim, num_heads=num_heads)
        self.dnn = nn.Sequential(nn.Linear(emb_dim, 8), nn.ReLU(), nn.Linear(8, 1))

    def get_mask(self, padding_mask):
        seq_len = padding_mask.size(1)
        attn_mask = padding_mask.repeat(self.num_heads, 1).unsqueeze(1).repeat(1, seq_len, 1)  # BUG
        return attn_mask

    def forward(self, item_seq):
        padding_mask = item_seq == 0
        out = self.attn(self.item_emb(item_seq), mask=self.get_mask(padding_mask))
        valid = (~padding_mask).float().unsqueeze(-1)
        pooled = (out * valid).sum(1) / valid.sum(1)
        return torch.sigmoid(self.dnn(pooled)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BehaviorSequenceTransformer().eval()
    clicks = torch.tensor([[0, 0, 0, 0, 12, 45], [3, 17, 8, 29, 51, 77], [0, 0, 64, 5, 9, 2]])
    with torch.no_grad():
        batched = model(clicks)
        single = torch.cat([model(clicks[i:i + 1]) for i in range(3)])
    print(f"CTR: max |batched - per-sample| = {(batched - single).abs().max().item():.4f}")
