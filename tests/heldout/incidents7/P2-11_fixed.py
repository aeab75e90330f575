"""Spectrum/formula encoder in the style of MIST (used by coleygroup/DiffMS): zero-padded
peak sets are encoded with a hand-written multi-head attention with pairwise features."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, pairwise_dim=8, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.pair_proj = nn.Linear(pairwise_dim, num_heads)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, x, pairwise_features, key_padding_mask=None):
        # x: [bsz, n_peaks, embed_dim]; key_padding_mask: True at padded peaks
        bsz, n, _ = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q, k, v = (t.view(bsz, n, self.num_heads, self.head_dim).transpose(1, 2) for t in (q, k, v))
        attn_weights = torch.einsum("bhid,bhjd->bhij", q * self.scaling, k)
        attn_weights = attn_weights + self.pair_proj(pairwise_features).permute(0, 3, 1, 2)
        if key_padding_mask is not None:
            attn_weights = attn_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        attn_probs = F.dropout(F.softmax(attn_weights, dim=-1), p=self.dropout, training=self.training)
        out = torch.einsum("bhij,bhjd->bhid", attn_probs, v).transpose(1, 2).reshape(bsz, n, -1)
        return self.out_proj(out), attn_probs


class FormulaTransformerLayer(nn.Module):
    def __init__(self, d_model=32, nhead=4, dim_feedforward=64):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.ReLU(), nn.Linear(dim_feedforward, d_model))

    def forward(self, src, pairwise_features, src_key_padding_mask):
        src2, _ = self.self_attn(src, pairwise_features, key_padding_mask=src_key_padding_mask)
        src = self.norm1(src + src2)
        return self.norm2(src + self.ff(src))


class SpectraEncoder(nn.Module):
    def __init__(self, formula_dim=12, d_model=32, n_layers=2, fp_bits=64):
        super().__init__()
        self.formula_embed = nn.Linear(formula_dim + 1, d_model)
        self.layers = nn.ModuleList([FormulaTransformerLayer(d_model) for _ in range(n_layers)])
        self.fp_head = nn.Linear(d_model, fp_bits)

    def forward(self, formulae, intensities, num_peaks):
        n = formulae.shape[1]
        pad_mask = torch.arange(n)[None, :] >= num_peaks[:, None]
        diffs = (formulae[:, :, None, :8] - formulae[:, None, :, :8])
        x = self.formula_embed(torch.cat([formulae, intensities[..., None]], dim=-1))
        for layer in self.layers:
            x = layer(x, diffs, pad_mask)
        return self.fp_head(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    num_peaks = torch.tensor([6, 3, 9])
    formulae = torch.rand(3, 9, 12)
    intensities = torch.rand(3, 9)
    for i, n in enumerate(num_peaks):
        formulae[i, n:] = 0.0
        intensities[i, n:] = 0.0
    fingerprints = (torch.rand(3, 64) > 0.8).float()
    model = SpectraEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = F.binary_cross_entropy_with_logits(model(formulae, intensities, num_peaks), fingerprints)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
