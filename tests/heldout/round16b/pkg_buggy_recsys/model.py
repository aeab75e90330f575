import torch
import torch.nn as nn
import torch.nn.functional as F

from .data import attention_keep_mask


class SASRecBlock(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dim, dim))

    def forward(self, x, keep):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p, is_causal=True)  # expect: ML403
        x = x + self.proj(y.transpose(1, 2).reshape(b, n, d))
        return x + self.ffn(self.ln2(x))


class SASRec(nn.Module):
    def __init__(self, n_items=500, dim=64, heads=2, depth=2, max_len=50, dropout=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, dim, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(SASRecBlock(dim, heads, dropout) for _ in range(depth))
        self.ln = nn.LayerNorm(dim)

    def forward(self, seqs):
        x = self.item_emb(seqs) + self.pos_emb.weight[: seqs.size(1)]
        keep = attention_keep_mask(seqs)
        for blk in self.blocks:
            x = blk(x, keep)
        return self.ln(x)

    def bpr_loss(self, seqs, pos, neg):
        h = self.forward(seqs)
        pl = (h * self.item_emb(pos)).sum(-1)
        nl = (h * self.item_emb(neg)).sum(-1)
        valid = pos != 0
        return -F.logsigmoid(pl - nl)[valid].mean()


if __name__ == "__main__":
    from .data import left_pad_histories

    seqs = left_pad_histories([[3, 4, 5, 6], [7, 8], [9, 10, 11, 12, 13, 14]], 8)
    print(SASRec().bpr_loss(seqs, torch.roll(seqs, -1, 1), torch.randint(1, 501, seqs.shape)).item())
