"""Conformer-style speech encoder (ESPnet idiom): conv2d subsampling, lengths,
make_pad_mask, and a fused SDPA self-attention inside each block."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_pad_mask(lengths: torch.Tensor, maxlen: int = None) -> torch.Tensor:
    """True at padded frames (ESPnet convention)."""
    if maxlen is None:
        maxlen = int(lengths.max())
    seq_range = torch.arange(maxlen, device=lengths.device)
    return seq_range.unsqueeze(0) >= lengths.unsqueeze(1)


class Conv2dSubsampling4(nn.Module):
    def __init__(self, idim, odim):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, odim, 3, 2), nn.ReLU(),
            nn.Conv2d(odim, odim, 3, 2), nn.ReLU(),
        )
        self.out = nn.Linear(odim * (((idim - 1) // 2 - 1) // 2), odim)

    def forward(self, x, ilens):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).contiguous().view(b, t, c * f))
        olens = ((ilens - 1) // 2 - 1) // 2
        return x, olens


class RelFreeMHSA(nn.Module):
    def __init__(self, d_model, n_head, dropout=0.0):
        super().__init__()
        self.h = n_head
        self.d_k = d_model // n_head
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = dropout

    def forward(self, x, mask):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, self.d_k).permute(2, 0, 3, 1, 4)
        # mask: (B, T) -> (B, 1, 1, T), broadcast over heads and queries
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask[:, None, None, :],
            dropout_p=self.dropout if self.training else 0.0,
        )
        return self.proj(out.transpose(1, 2).reshape(b, t, -1))


class ConformerBlock(nn.Module):
    def __init__(self, d_model, n_head, kernel=7):
        super().__init__()
        self.ff1 = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 4 * d_model), nn.SiLU(), nn.Linear(4 * d_model, d_model))
        self.norm_mha = nn.LayerNorm(d_model)
        self.mha = RelFreeMHSA(d_model, n_head)
        self.norm_conv = nn.LayerNorm(d_model)
        self.dw = nn.Conv1d(d_model, d_model, kernel, padding=kernel // 2, groups=d_model)
        self.ff2 = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 4 * d_model), nn.SiLU(), nn.Linear(4 * d_model, d_model))
        self.norm_out = nn.LayerNorm(d_model)

    def forward(self, x, pad_mask):
        x = x + 0.5 * self.ff1(x)
        x = x + self.mha(self.norm_mha(x), pad_mask)
        c = self.norm_conv(x).masked_fill(pad_mask.unsqueeze(-1), 0.0)
        x = x + self.dw(c.transpose(1, 2)).transpose(1, 2)
        x = x + 0.5 * self.ff2(x)
        return self.norm_out(x)


class ConformerEncoder(nn.Module):
    def __init__(self, idim=40, d_model=32, n_head=4, n_blocks=2):
        super().__init__()
        self.embed = Conv2dSubsampling4(idim, d_model)
        self.encoders = nn.ModuleList([ConformerBlock(d_model, n_head) for _ in range(n_blocks)])

    def forward(self, feats, feat_lens):
        xs, olens = self.embed(feats, feat_lens)
        masks = make_pad_mask(olens, xs.size(1))
        for layer in self.encoders:
            xs = layer(xs, masks)  # expect: ML102
        return xs, olens


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = ConformerEncoder().eval()
    feats = torch.randn(2, 64, 40)
    lens = torch.tensor([64, 40])
    with torch.no_grad():
        out1, olens = enc(feats, lens)
        feats2 = feats.clone()
        feats2[1, 40:] = torch.randn(24, 40) * 5  # change only the padded frames of utt 1
        out2, _ = enc(feats2, lens)
    n = int(olens[1])
    diff = (out1[1, :n - 2] - out2[1, :n - 2]).abs().max().item()
    print("subsampled lengths", olens.tolist(), "valid-frame change from padding:", diff)
    assert diff > 1e-3, "expected padding to leak into valid frames"
