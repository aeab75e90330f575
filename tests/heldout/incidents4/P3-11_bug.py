import torch
import torch.nn as nn
import torch.nn.functional as F


class SequenceBias(nn.Module):
    def __init__(self, embed_dim):
        super().__init__()
        self.bias = nn.Parameter(torch.empty(embed_dim).normal_(0, embed_dim ** -0.5))

    def forward(self, x):
        return torch.cat([x, self.bias.expand(1, x.shape[1], -1)], dim=0)


class DPMultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0, batch_first=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.qlinear = nn.Linear(embed_dim, embed_dim)
        self.klinear = nn.Linear(embed_dim, embed_dim)
        self.vlinear = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = nn.Dropout(dropout)

    def _check_attn_mask(self, attn_mask, bsz, tgt_len, src_len):
        if attn_mask.dim() == 2:
            if list(attn_mask.size()) != [tgt_len, src_len]:
                raise RuntimeError("The size of the 2D attn_mask is not correct.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if list(attn_mask.size()) != [bsz * self.num_heads, tgt_len, src_len]:
                raise RuntimeError("The size of the 3D attn_mask is not correct.")
        return attn_mask

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None):
        tgt_len, bsz, embed_dim = query.size()  # BUG
        if attn_mask is not None:
            attn_mask = self._check_attn_mask(attn_mask, bsz, tgt_len, key.size(0))  # BUG
        if self.batch_first:
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
            tgt_len, bsz, embed_dim = query.size()
        src_len = key.size(0)
        q = self.qlinear(query) * self.head_dim ** -0.5
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = self.klinear(key).contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = self.vlinear(value).contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_output_weights = attn_output_weights.masked_fill(attn_mask, float("-inf"))
            else:
                attn_output_weights = attn_output_weights + attn_mask
        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len)
            attn_output_weights = attn_output_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            attn_output_weights = attn_output_weights.view(bsz * self.num_heads, tgt_len, src_len)
        attn_output_weights = self.dropout(F.softmax(attn_output_weights, dim=-1))
        attn_output = torch.bmm(attn_output_weights, v).transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        attn_output = self.out_proj(attn_output)
        if self.batch_first:
            attn_output = attn_output.transpose(0, 1)
        return attn_output, attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len).mean(dim=1)
