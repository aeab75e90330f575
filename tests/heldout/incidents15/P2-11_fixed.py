import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadAttention(nn.Module):
    """Multi-head attention with an additive pairwise bias (peak-pair features)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query, pairwise_featurization, key_padding_mask=None):
        tgt_len, bsz, embed_dim = query.size()
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1) * self.scaling
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        src_len = k.size(1)

        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        attn_output_weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len)
        attn_output_weights = attn_output_weights + pairwise_featurization

        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.masked_fill(
                key_padding_mask.unsqueeze(1).unsqueeze(2), float("-inf")  # BUG
            )
        attn_output_weights = attn_output_weights.view(bsz * self.num_heads, tgt_len, src_len)
        attn_output_weights = F.softmax(attn_output_weights, dim=-1)
        attn_output_weights = F.dropout(attn_output_weights, p=self.dropout, training=self.training)

        attn_output = torch.bmm(attn_output_weights, v)
        attn_output = attn_output.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        return self.out_proj(attn_output), attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len)


class FormulaTransformerLayer(nn.Module):
    def __init__(self, d_model=16, nhead=2, pairwise_dim=4):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.pair_proj = nn.Linear(pairwise_dim, nhead)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, src, pairwise_features, src_key_padding_mask=None):
        pairwise = self.pair_proj(pairwise_features).permute(0, 3, 1, 2)
        src2, attn = self.self_attn(src, pairwise, key_padding_mask=src_key_padding_mask)
        return self.norm(src + src2), attn


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = FormulaTransformerLayer()
    num_peaks = torch.tensor([5, 3])
    peaks = torch.randn(6, 2, 16)
    pairwise = torch.randn(2, 6, 6, 4)
    src_key_padding_mask = torch.arange(6)[None, :] >= num_peaks[:, None]
    out, attn = layer(peaks, pairwise, src_key_padding_mask=src_key_padding_mask)
    on_pad = attn.masked_select(src_key_padding_mask[:, None, None, :].expand_as(attn)).sum() / attn[..., 0].numel()
    print(f"attention mass on 0-padded peaks per query: {on_pad.item():.4f}")
