import torch
from torch import nn
from torch.nn import MultiheadAttention


class TransformerBlock(nn.Module):
    def __init__(self, model_dim=16, ffn_dim=16, num_heads=2, attn_dropout=0.0):
        super().__init__()
        self.attention = MultiheadAttention(model_dim, num_heads=num_heads, dropout=attn_dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(model_dim, ffn_dim), nn.LeakyReLU(), nn.Linear(ffn_dim, model_dim))
        self.layer_norm1 = nn.LayerNorm(model_dim)
        self.layer_norm2 = nn.LayerNorm(model_dim)

    def forward(self, x, attn_mask=None):
        attn, _ = self.attention(x, x, x, attn_mask=attn_mask)
        s = self.layer_norm1(attn + x)
        return self.layer_norm2(self.ffn(s) + s)


class BST(nn.Module):
    """Behavior Sequence Transformer over a click history plus the target item."""

    def __init__(self, num_items=100, embedding_dim=16, num_heads=2, use_causal_mask=False):
        super().__init__()
        self.num_heads = num_heads
        self.use_causal_mask = use_causal_mask
        self.item_emb = nn.Embedding(num_items, embedding_dim, padding_idx=0)
        self.block = TransformerBlock(embedding_dim, embedding_dim, num_heads)
        self.out = nn.Linear(embedding_dim, 1)

    def get_mask(self, x):
        """ padding_mask: 1 for masked positions
            attn_mask: 1 for masked positions in nn.MultiheadAttention
        """
        padding_mask = x == 0
        padding_mask = torch.cat([padding_mask, torch.zeros(x.size(0), 1, dtype=torch.bool)], dim=-1)
        seq_len = padding_mask.size(1)
        attn_mask = padding_mask.unsqueeze(1).repeat(1, seq_len * self.num_heads, 1).view(-1, seq_len, seq_len)  # BUG
        diag_zeros = (1 - torch.eye(seq_len)).bool().unsqueeze(0).expand_as(attn_mask)
        attn_mask = attn_mask & diag_zeros
        if self.use_causal_mask:
            causal_mask = torch.triu(torch.ones(seq_len, seq_len), 1).bool().unsqueeze(0).expand_as(attn_mask)
            attn_mask = attn_mask | causal_mask
        return padding_mask, attn_mask

    def forward(self, click_history, target_item):
        seq = torch.cat([self.item_emb(click_history), self.item_emb(target_item).unsqueeze(1)], dim=1)
        padding_mask, attn_mask = self.get_mask(click_history)
        out = self.block(seq, attn_mask)
        keep = (~padding_mask).float().unsqueeze(-1)
        pooled = (out * keep).sum(1) / keep.sum(1)
        return torch.sigmoid(self.out(pooled)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BST(use_causal_mask=True).eval()
    history = torch.tensor([[0, 0, 4, 9, 12], [3, 5, 8, 13, 21], [0, 0, 0, 0, 7]])
    target = torch.tensor([17, 2, 30])
    with torch.no_grad():
        batched = model(history, target)
        per_sample = torch.cat([model(history[i:i + 1], target[i:i + 1]) for i in range(3)])
    print(batched.shape)
    print("batched vs per-sample:", (batched - per_sample).abs().max().item())
