"""Speech encoder for CTC ASR: conv subsampling + relative-free transformer
blocks with hand-written einsum attention over variable-length utterances."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def lengths_to_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """(B,) lengths -> (B, T) mask that is True on valid frames."""
    steps = torch.arange(max_len, device=lengths.device)
    return steps[None, :] < lengths[:, None]


class Conv2dSubsampling(nn.Module):
    def __init__(self, n_mels, d_model):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, d_model, 3, stride=2), nn.ReLU(),
            nn.Conv2d(d_model, d_model, 3, stride=2), nn.ReLU(),
        )
        self.out = nn.Linear(d_model * (((n_mels - 1) // 2 - 1) // 2), d_model)

    def forward(self, feats, lengths):
        x = self.conv(feats.unsqueeze(1))
        b, c, t, f = x.shape
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        lengths = ((lengths - 1) // 2 - 1) // 2
        return x, lengths


class EinsumSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.1):
        super().__init__()
        self.h = n_heads
        self.dk = d_model // n_heads
        self.to_qkv = nn.Linear(d_model, 3 * d_model)
        self.to_out = nn.Linear(d_model, d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, lengths):
        B, T, _ = x.shape
        q, k, v = self.to_qkv(x).view(B, T, 3, self.h, self.dk).unbind(dim=2)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / self.dk ** 0.5
        valid = lengths_to_mask(lengths, T)
        scores = scores.masked_fill(
            valid[:, None, None, :],  # expect: ML101
            float("-inf"),
        )
        attn = self.drop(scores.softmax(dim=-1))
        out = torch.einsum("bhqk,bkhd->bqhd", attn, v).reshape(B, T, -1)
        return self.to_out(out)


class EncoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = EinsumSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.SiLU(), nn.Dropout(0.1), nn.Linear(d_ff, d_model))

    def forward(self, x, lengths):
        x = x + self.attn(self.ln1(x), lengths)
        return x + self.ff(self.ln2(x))


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=256, n_heads=4, d_ff=1024, n_layers=12, vocab=128):
        super().__init__()
        self.subsample = Conv2dSubsampling(n_mels, d_model)
        self.blocks = nn.ModuleList(EncoderBlock(d_model, n_heads, d_ff) for _ in range(n_layers))
        self.ctc_head = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_lengths):
        x, lengths = self.subsample(feats, feat_lengths)
        for blk in self.blocks:
            x = blk(x, lengths)
        return F.log_softmax(self.ctc_head(x), dim=-1), lengths
