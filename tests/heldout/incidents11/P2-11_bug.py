import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiheadAttention(nn.Module):
    """Self attention with additive pairwise features, in the style of a spectrum formula transformer."""

    def __init__(self, embed_dim, num_heads, pairwise_featurization=True):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.pairwise_featurization = pairwise_featurization
        if pairwise_featurization:
            self.bias_u = nn.Parameter(torch.zeros(num_heads, self.head_dim))
            self.bias_v = nn.Parameter(torch.zeros(num_heads, self.head_dim))

    def forward(self, query, key_padding_mask=None, pairwise_features=None):
        tgt_len, bsz, embed_dim = query.shape
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        src_len = k.size(1)

        attn = torch.bmm(q * self.scaling, k.transpose(1, 2))
        if self.pairwise_featurization and pairwise_features is not None:
            pw = pairwise_features.view(bsz * self.num_heads, tgt_len, src_len)
            attn = attn + pw

        if key_padding_mask is not None:
            attn = attn.view(bsz, self.num_heads, tgt_len, src_len)
            new_attn_mask = key_padding_mask.unsqueeze(1).unsqueeze(2)
            attn = attn.masked_fill(new_attn_mask, 0.0)  # BUG
            attn = attn.view(bsz * self.num_heads, tgt_len, src_len)

        attn_weights = F.softmax(attn, dim=-1)
        out = torch.bmm(attn_weights, v)
        out = out.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        return self.out_proj(out), attn_weights.view(bsz, self.num_heads, tgt_len, src_len)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, src, src_key_padding_mask=None, pairwise_features=None):
        src2, _ = self.self_attn(src, key_padding_mask=src_key_padding_mask, pairwise_features=pairwise_features)
        src = self.norm1(src + src2)
        return self.norm2(src + self.linear2(F.relu(self.linear1(src))))


class FormulaTransformer(nn.Module):
    def __init__(self, peak_dim=5, hidden=32, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.embed = nn.Linear(peak_dim, hidden)
        self.layers = nn.ModuleList([TransformerEncoderLayer(hidden, heads) for _ in range(layers)])
        self.pair_proj = nn.Linear(1, heads)

    def forward(self, peaks, num_peaks):
        B, P, _ = peaks.shape
        padding_mask = torch.arange(P)[None, :] >= num_peaks[:, None]
        mz = peaks[..., 0]
        pw = self.pair_proj((mz[:, :, None] - mz[:, None, :]).abs().unsqueeze(-1)).permute(0, 3, 1, 2)
        x = self.embed(peaks).transpose(0, 1)
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=padding_mask, pairwise_features=pw)
        return x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FormulaTransformer().eval()
    spectrum = torch.rand(1, 4, 5)
    short = F.pad(spectrum, (0, 0, 0, 2))
    long = F.pad(spectrum, (0, 0, 0, 8))
    n = torch.tensor([4])
    with torch.no_grad():
        a = model(short, n)[0, :4]
        b = model(long, n)[0, :4]
    print(f"real-peak change when only the amount of zero padding changes: {(a - b).abs().max().item():.3e}")
