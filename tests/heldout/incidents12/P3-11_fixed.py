import torch
import torch.nn as nn
import torch.nn.functional as F


class SequenceBias(nn.Module):
    def __init__(self, embed_dim):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(embed_dim))

    def forward(self, x):
        return torch.cat([x, self.bias.expand(1, x.size(1), -1)], dim=0)


class DPMultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.dropout = nn.Dropout(dropout)
        self.qlinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.klinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.vlinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None):
        if attn_mask is not None and attn_mask.dim() == 2:
            if list(attn_mask.size()) != [query.size(1 if self.batch_first else 0), key.size(1 if self.batch_first else 0)]:
                raise RuntimeError("The size of the 2D attn_mask is not correct.")
        if self.batch_first:
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
        tgt_len, bsz, embed_dim = query.size()
        q = self.qlinear(query) * self.head_dim ** -0.5
        k, v = self.klinear(key), self.vlinear(value)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn_output_weights = attn_output_weights.masked_fill(attn_mask.unsqueeze(0), float("-inf"))
        if key_padding_mask is not None:
            w = attn_output_weights.view(bsz, self.num_heads, tgt_len, -1)
            attn_output_weights = w.masked_fill(key_padding_mask[:, None, None, :], float("-inf")).view(bsz * self.num_heads, tgt_len, -1)
        attn_output_weights = self.dropout(F.softmax(attn_output_weights, dim=-1))
        attn_output = torch.bmm(attn_output_weights, v).transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        attn_output = self.out_proj(attn_output)
        if self.batch_first:
            attn_output = attn_output.transpose(0, 1)
        return attn_output, attn_output_weights.view(bsz, self.num_heads, tgt_len, -1).mean(1) if need_weights else None


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = DPMultiheadAttention(16, 4, batch_first=True)
    x = torch.randn(3, 5, 16)
    causal = torch.ones(5, 5, dtype=torch.bool).triu(1)
    try:
        out, w = attn(x, x, x, attn_mask=causal)
        print(f"ok: mean future attention weight = {torch.triu(w, 1).sum(-1).mean().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
