import torch
import torch.nn as nn
import torch.nn.functional as F


class DPMultiheadAttention(nn.Module):
    """Multi-head attention built from nn.Linear layers so per-sample gradients can be computed."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False):
        super().__init__()
        self.embed_dim, self.num_heads, self.batch_first = embed_dim, num_heads, batch_first
        self.head_dim = embed_dim // num_heads
        self.dropout = dropout
        self.qlinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.klinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.vlinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def forward(self, query, key, value, attn_mask=None, key_padding_mask=None):
        if not self.batch_first:
            tgt_len, bsz, embed_dim = query.size()
        else:
            bsz, tgt_len, embed_dim = query.size()
        src_len = key.size(1) if self.batch_first else key.size(0)

        if attn_mask is not None:
            if attn_mask.dim() == 2:
                attn_mask = attn_mask.unsqueeze(0)
                if list(attn_mask.size()) != [1, query.size(0), key.size(0)]:  # BUG: reads batch size when batch_first
                    raise ValueError("The size of the 2D attn_mask is not correct.")
            elif attn_mask.dim() == 3:
                if list(attn_mask.size()) != [bsz * self.num_heads, query.size(0), key.size(0)]:  # BUG: same for 3D masks
                    raise ValueError("The size of the 3D attn_mask is not correct.")

        if self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        q = self.qlinear(query) * self.head_dim ** -0.5
        k, v = self.klinear(key), self.vlinear(value)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)

        attn = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn = attn.masked_fill(attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else attn + attn_mask
        if key_padding_mask is not None:
            attn = attn.view(bsz, self.num_heads, tgt_len, src_len)
            attn = attn.masked_fill(key_padding_mask[:, None, None, :], float("-inf")).view(bsz * self.num_heads, tgt_len, src_len)
        attn = F.dropout(F.softmax(attn, dim=-1), p=self.dropout, training=self.training)
        out = torch.bmm(attn, v).transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        out = self.out_proj(out)
        return (out.transpose(0, 1) if self.batch_first else out), attn


def run():
    mha = DPMultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
    x = torch.randn(2, 5, 8)
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    return mha(x, x, x, attn_mask=causal)
