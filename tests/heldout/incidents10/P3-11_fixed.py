"""opacus-style DPMultiheadAttention (excerpt): a re-implementation of
nn.MultiheadAttention with separate linear layers for per-sample gradients.
The project's own shape check raises on the bug (valid batch_first masks are
rejected: AssertionError)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DPMultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, batch_first=False):
        super().__init__()
        self.embed_dim, self.num_heads, self.batch_first = embed_dim, num_heads, batch_first
        self.head_dim = embed_dim // num_heads
        self.qlinear = nn.Linear(embed_dim, embed_dim)
        self.klinear = nn.Linear(embed_dim, embed_dim)
        self.vlinear = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None):
        if self.batch_first:
            bsz, tgt_len, embed_dim = query.size()
            key_seq_len = key.size(1)
        else:
            tgt_len, bsz, embed_dim = query.size()
            key_seq_len = key.size(0)
        if attn_mask is not None:
            if attn_mask.dim() == 2:
                attn_mask = attn_mask.unsqueeze(0)
                assert list(attn_mask.size()) == [1, tgt_len, key_seq_len], "The size of the 2D attn_mask is not correct."
            elif attn_mask.dim() == 3:
                assert list(attn_mask.size()) == [bsz * self.num_heads, tgt_len, key_seq_len], "The size of the 3D attn_mask is not correct."
        if self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        q = self.qlinear(query) * self.head_dim ** -0.5
        k, v = self.klinear(key), self.vlinear(value)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        w = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            w = w.masked_fill(attn_mask, float("-inf"))
        w = F.softmax(w, dim=-1)
        out = torch.bmm(w, v).transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        out = self.out_proj(out)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, None


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = DPMultiheadAttention(16, 2, batch_first=True)
    x = torch.randn(3, 5, 16)
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
    x2 = x.clone(); x2[:, -1] = torch.randn(3, 16)
    a, b = attn(x, x, x, attn_mask=causal)[0], attn(x2, x2, x2, attn_mask=causal)[0]
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
