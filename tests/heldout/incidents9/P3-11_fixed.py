import torch
import torch.nn as nn
import torch.nn.functional as F


class DPMultiheadAttention(nn.Module):
    """MHA made of plain nn.Linear layers so per-sample gradients can be computed."""

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

    def forward(self, query, key, value, attn_mask=None):
        if self.batch_first:
            bsz, tgt_len, embed_dim = query.size()
            src_len = key.size(1)
        else:
            tgt_len, bsz, embed_dim = query.size()
            src_len = key.size(0)

        if attn_mask is not None:
            if attn_mask.dim() == 2:
                attn_mask = attn_mask.unsqueeze(0)
                if list(attn_mask.size()) != [1, tgt_len, src_len]:
                    raise ValueError("The size of the 2D attn_mask is not correct.")
            elif attn_mask.dim() == 3:
                if list(attn_mask.size()) != [bsz * self.num_heads, tgt_len, src_len]:
                    raise ValueError("The size of the 3D attn_mask is not correct.")

        if self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        q = self.qlinear(query) * self.head_dim ** -0.5
        k, v = self.klinear(key), self.vlinear(value)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn = attn.masked_fill(attn_mask, float("-inf"))
        attn = self.dropout(F.softmax(attn, dim=-1))
        out = torch.bmm(attn, v).transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        out = self.out_proj(out)
        return (out.transpose(0, 1) if self.batch_first else out), attn


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = DPMultiheadAttention(embed_dim=16, num_heads=4, batch_first=True)
    x = torch.randn(3, 7, 16)  # (batch, seq, embed)
    causal = torch.triu(torch.ones(7, 7, dtype=torch.bool), diagonal=1)
    out, _ = mha(x, x, x, attn_mask=causal)
    print(out.shape)
