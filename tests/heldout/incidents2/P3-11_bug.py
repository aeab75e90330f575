import torch
import torch.nn as nn
import torch.nn.functional as F


class SequenceBias(nn.Module):
    def __init__(self, embed_dim):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(embed_dim))

    def forward(self, x):
        return x + self.bias


class DPMultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0, batch_first=False):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.qlinear = nn.Linear(embed_dim, embed_dim)
        self.klinear = nn.Linear(embed_dim, embed_dim)
        self.vlinear = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, attn_mask=None, key_padding_mask=None):
        if attn_mask is not None and attn_mask.dim() == 2:
            if list(attn_mask.size()) != [query.size(0), key.size(0)]:  # BUG: dim 0 is the batch when batch_first
                raise RuntimeError("The size of the 2D attn_mask is not correct.")

        if self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        tgt_len, bsz, _ = query.size()
        src_len = key.size(0)

        q = self.qlinear(query).contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = self.klinear(key).contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = self.vlinear(value).contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)

        scores = torch.bmm(q, k.transpose(1, 2)) / self.head_dim ** 0.5
        if attn_mask is not None:
            scores = scores.masked_fill(attn_mask, float("-inf"))
        if key_padding_mask is not None:
            scores = scores.view(bsz, self.num_heads, tgt_len, src_len)
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            scores = scores.view(bsz * self.num_heads, tgt_len, src_len)
        attn = self.dropout(F.softmax(scores, dim=-1))
        out = torch.bmm(attn, v).transpose(0, 1).contiguous().view(tgt_len, bsz, self.embed_dim)
        out = self.out_proj(out)
        return (out.transpose(0, 1) if self.batch_first else out), attn


if __name__ == "__main__":
    mha = DPMultiheadAttention(64, 4, batch_first=True)
    x = torch.randn(8, 10, 64)  # (N, L, E)
    causal = torch.triu(torch.ones(10, 10, dtype=torch.bool), 1)
    out, _ = mha(x, x, x, attn_mask=causal)
    print(out.shape)
