import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadAttention(nn.Module):
    """Peak-set attention with an additive pairwise bias (m/z differences between peaks)."""

    def __init__(self, embed_dim, num_heads, pairwise_dim=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.bias_proj = nn.Linear(pairwise_dim, num_heads)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, pairwise_featurization, key_padding_mask=None):
        tgt_len, bsz, embed_dim = query.shape
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1) * self.scaling
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        pair_bias = self.bias_proj(pairwise_featurization).permute(0, 3, 1, 2)
        attn_output_weights = attn_output_weights + pair_bias.reshape(bsz * self.num_heads, tgt_len, tgt_len)
        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, tgt_len)
            attn_output_weights = attn_output_weights.masked_fill(
                key_padding_mask.unsqueeze(1).unsqueeze(2),
                float("-inf"),  # BUG
            )
            attn_output_weights = attn_output_weights.view(bsz * self.num_heads, tgt_len, tgt_len)
        attn_output_weights = F.softmax(attn_output_weights, dim=-1)
        attn_output = torch.bmm(attn_output_weights, v)
        attn_output = attn_output.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        return self.out_proj(attn_output), attn_output_weights


class FormulaTransformerLayer(nn.Module):
    def __init__(self, d_model=32, nhead=4):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 64), nn.ReLU(), nn.Linear(64, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, src, pairwise_features, src_key_padding_mask=None):
        src2, _ = self.self_attn(src, pairwise_features, key_padding_mask=src_key_padding_mask)
        src = self.norm1(src + src2)
        return self.norm2(src + self.ff(src))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = FormulaTransformerLayer().eval()
    n_peaks = torch.tensor([7, 4])
    peaks = torch.randn(7, 2, 32)
    peaks[4:, 1] = 0.0
    mz = torch.rand(2, 7) * 500
    mz[1, 4:] = 0.0
    diffs = (mz[:, :, None] - mz[:, None, :])[..., None] / 100
    pairwise = torch.cat([diffs, diffs.abs(), diffs ** 2, torch.sign(diffs)], dim=-1)
    kpm = torch.arange(7)[None, :] >= n_peaks[:, None]
    with torch.no_grad():
        out = layer(peaks, pairwise, kpm)
        solo = layer(peaks[:4, 1:], pairwise[1:, :4, :4], kpm[1:, :4])
    gap = (out[:4, 1] - solo[:, 0]).abs().max().item()
    print(f"4-peak spectrum: |padded batch - unpadded| = {gap:.4f}")
