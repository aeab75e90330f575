import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


class SequenceBias(nn.Module):
    def __init__(self, embed_dim, batch_first=False):
        super().__init__()
        self.batch_first = batch_first
        self.bias = nn.Parameter(torch.empty(embed_dim))
        nn.init.normal_(self.bias)

    def forward(self, x):
        if self.batch_first:
            bsz, _, _ = x.shape
            return torch.cat([x, self.bias.repeat(bsz, 1, 1)], dim=1)
        _, bsz, _ = x.shape
        return torch.cat([x, self.bias.repeat(1, bsz, 1)])


class DPMultiheadAttention(nn.Module):
    """Multi-head attention built from nn.Linear layers so per-sample gradients can be computed."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.qlinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.klinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.vlinear = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None):
        if self.batch_first:
            bsz, tgt_len, embed_dim = query.size()
            src_len = key.size(1)
        else:
            tgt_len, bsz, embed_dim = query.size()
            src_len = key.size(0)
        if embed_dim != self.embed_dim:
            raise ValueError(f"query has as size of {embed_dim} while the embedding size is {self.embed_dim}")

        q = self.qlinear(query) * (self.head_dim ** -0.5)
        k = self.klinear(key)
        v = self.vlinear(value)

        if attn_mask is not None:
            if attn_mask.dtype not in (torch.float32, torch.float64, torch.uint8, torch.bool):
                raise ValueError(f"Only float, byte, and bool types are supported for attn_mask, not {attn_mask.dtype}.")
            if attn_mask.dtype == torch.uint8:
                warnings.warn("Byte tensor for attn_mask is deprecated. Use bool tensor instead.")
                attn_mask = attn_mask.to(torch.bool)
            if attn_mask.dim() == 2:
                attn_mask = attn_mask.unsqueeze(0)
                if list(attn_mask.size()) != [1, tgt_len, src_len]:
                    raise ValueError("The size of the 2D attn_mask is not correct.")
            elif attn_mask.dim() != 3:
                raise ValueError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

        if self.batch_first:
            q, k, v = (t.transpose(0, 1) for t in (q, k, v))
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)

        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_output_weights.masked_fill_(attn_mask, float("-inf"))
            else:
                attn_output_weights += attn_mask
        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len)
            attn_output_weights = attn_output_weights.masked_fill(key_padding_mask.unsqueeze(1).unsqueeze(2), float("-inf"))
            attn_output_weights = attn_output_weights.view(bsz * self.num_heads, tgt_len, src_len)
        attn_output_weights = self.dropout(F.softmax(attn_output_weights, dim=-1))
        attn_output = torch.bmm(attn_output_weights, v)
        attn_output = attn_output.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        attn_output = self.out_proj(attn_output)
        if self.batch_first:
            attn_output = attn_output.transpose(0, 1)
        if need_weights:
            return attn_output, attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len).mean(dim=1)
        return attn_output, None


class DPCausalEncoder(nn.Module):
    def __init__(self, vocab=30, d_model=16, nhead=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.self_attn = DPMultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        causal = torch.triu(torch.ones(ids.shape[1], ids.shape[1], dtype=torch.bool), diagonal=1)
        a, _ = self.self_attn(x, x, x, attn_mask=causal)
        return self.out(self.norm(x + a))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DPCausalEncoder()
    ids = torch.randint(0, 30, (4, 7))
    try:
        ids2 = ids.clone()
        ids2[:, -1] = (ids2[:, -1] + 1) % 30
        d = (model(ids)[:, :-1] - model(ids2)[:, :-1]).abs().max().item()
        print(f"prefix change when last token changes: {d:.3e}")
    except ValueError as e:
        print(f"raised ValueError: {e}")
