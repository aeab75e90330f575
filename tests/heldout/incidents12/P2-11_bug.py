import torch
import torch.nn.functional as F
from torch import nn


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0, pairwise_featurization=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query, key_padding_mask=None):
        tgt_len, bsz, embed_dim = query.shape
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1) * self.scaling
        k = k.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, tgt_len)
            attn_output_weights = attn_output_weights.masked_fill(key_padding_mask.unsqueeze(1).unsqueeze(2), 0.0)  # BUG
            attn_output_weights = attn_output_weights.view(bsz * self.num_heads, tgt_len, tgt_len)
        attn_output_weights = F.softmax(attn_output_weights, dim=-1)
        attn_output_weights = F.dropout(attn_output_weights, p=self.dropout, training=self.training)
        attn_output = torch.bmm(attn_output_weights, v)
        attn_output = attn_output.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        return self.out_proj(attn_output), attn_output_weights


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, src, src_key_padding_mask=None):
        src2, _ = self.self_attn(src, key_padding_mask=src_key_padding_mask)
        src = self.norm1(src + src2)
        return self.norm2(src + self.linear2(F.relu(self.linear1(src))))


class FormulaEncoder(nn.Module):
    def __init__(self, peak_dim=4, d_model=32, nhead=4):
        super().__init__()
        self.peak_embed = nn.Linear(peak_dim, d_model)
        self.layer = TransformerEncoderLayer(d_model, nhead)

    def forward(self, peaks, num_peaks):
        max_peaks = peaks.shape[1]
        padding_mask = torch.arange(max_peaks)[None, :] >= num_peaks[:, None]
        x = self.peak_embed(peaks).transpose(0, 1)
        x = self.layer(x, src_key_padding_mask=padding_mask)
        return x.transpose(0, 1)[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = FormulaEncoder().eval()
    peaks = torch.randn(3, 10, 4)
    num_peaks = torch.tensor([10, 6, 3])
    pad = torch.arange(10)[None, :] >= num_peaks[:, None]
    peaks[pad] = 0.0
    shifted = peaks.clone()
    shifted[pad] = 1.0
    with torch.no_grad():
        d = (enc(peaks, num_peaks) - enc(shifted, num_peaks)).abs().max().item()
    print(f"spectrum embedding change when only 0-padded peaks change = {d:.4f}")
