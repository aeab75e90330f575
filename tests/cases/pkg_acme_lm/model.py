import torch.nn as nn
import torch.nn.functional as F

from . import masks
from .masks import causal_keep, future_block


class AcmeBlock(nn.Module):
    """Pre-LN decoder block on nn.MultiheadAttention."""

    def __init__(self, d_model=64, n_head=4):
        super().__init__()
        self.ln = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x):
        T = x.size(1)
        h = self.ln(x)
        h, _ = self.attn(h, h, h, attn_mask=causal_keep(T, x.device), need_weights=False)  # expect: ML101
        x = x + h
        return x + self.mlp(x)


class AcmeFlashBlock(nn.Module):
    """The same block on SDPA; two variants kept for A/B."""

    def __init__(self, d_model=64, n_head=4, use_keep_mask=True):
        super().__init__()
        self.n_head = n_head
        self.use_keep_mask = use_keep_mask
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_head, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, dim=-1))
        if self.use_keep_mask:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_keep(T, x.device))
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=future_block(T, x.device))  # expect: ML102
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class AcmeReranker(nn.Module):
    """Cross-encoder reranker over (query, passage) token batches."""

    def __init__(self, vocab=1000, d_model=64, n_head=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)
        self.score = nn.Linear(d_model, 1)

    def forward(self, batch):
        x = self.emb(batch["input_ids"])
        kpm = masks.padding_from_tokenizer(batch["attention_mask"])
        h, _ = self.attn(x, x, x, key_padding_mask=kpm)  # expect: ML101
        return self.score(h[:, 0]).squeeze(-1)
