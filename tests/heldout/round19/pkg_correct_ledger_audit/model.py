import torch
import torch.nn as nn
import torch.nn.functional as F

from .masks import blocked_for_mha, posted_before

ACCOUNT_CLASSES = ["asset", "liability", "equity", "revenue", "expense", "suspense"]


class EntryAuditor(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.debit = nn.Embedding(len(ACCOUNT_CLASSES), d)
        self.credit = nn.Embedding(len(ACCOUNT_CLASSES), d)
        self.amount = nn.Linear(2, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.pool_q = nn.Parameter(torch.zeros(1, 1, d))
        self.pool = nn.MultiheadAttention(d, heads, batch_first=True)
        self.flag = nn.Linear(2 * d, 1)

    def forward(self, debit, credit, amount, posted_at, real):
        b, t = debit.shape
        x = self.debit(debit) + self.credit(credit) + self.amount(torch.stack([amount.abs().log1p(), amount.sign()], -1))
        q, k, v = self.qkv(self.norm(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=posted_before(posted_at, real))
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, -1))
        h = self.norm(x)
        x = x + self.mha(h, h, h, attn_mask=blocked_for_mha(posted_at, real, self.heads), need_weights=False)[0]
        period, _ = self.pool(self.pool_q.expand(b, -1, -1), x, x, key_padding_mask=~real)
        return self.flag(torch.cat([x, period.expand_as(x)], -1)).squeeze(-1)
