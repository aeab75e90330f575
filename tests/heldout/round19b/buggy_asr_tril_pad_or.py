"""Attention decoder for a CTC/attention speech recogniser (batch-first)."""
import torch
from torch import nn


def lengths_to_padding(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    steps = torch.arange(max_len, device=lengths.device)
    return steps.unsqueeze(0) >= lengths.unsqueeze(1)


class ASRDecoderLayer(nn.Module):
    def __init__(self, d_model: int, nhead: int, d_ff: int = 256, dropout: float = 0.1):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.src_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(3))
        self.drop = nn.Dropout(dropout)

    def forward(self, y, enc, self_mask, enc_pad):
        h = self.norms[0](y)
        y = y + self.drop(self.self_attn(h, h, h, attn_mask=self_mask, need_weights=False)[0])
        h = self.norms[1](y)
        y = y + self.drop(self.src_attn(h, enc, enc, key_padding_mask=enc_pad, need_weights=False)[0])
        return y + self.drop(self.ffn(self.norms[2](y)))


class ASRDecoder(nn.Module):
    def __init__(self, vocab: int, d_model: int = 64, nhead: int = 4, layers: int = 2, dropout: float = 0.1):
        super().__init__()
        self.nhead = nhead
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(1, 512, d_model))
        self.layers = nn.ModuleList(ASRDecoderLayer(d_model, nhead, dropout=dropout) for _ in range(layers))
        self.out = nn.Linear(d_model, vocab)

    def build_self_mask(self, ys_lens: torch.Tensor, T: int) -> torch.Tensor:
        future = (1 - torch.tril(torch.ones(T, T, device=ys_lens.device))).bool()
        pad = lengths_to_padding(ys_lens, T)
        blocked = future.unsqueeze(0) & pad.unsqueeze(1)  # BUG: & only blocks future pad keys; future and pad must be combined with |
        return blocked.repeat_interleave(self.nhead, dim=0)

    def forward(self, ys_in: torch.Tensor, ys_lens: torch.Tensor, enc: torch.Tensor, enc_lens: torch.Tensor):
        T = ys_in.size(1)
        self_mask = self.build_self_mask(ys_lens, T)
        enc_pad = torch.arange(enc.size(1), device=enc.device)[None, :] < enc_lens[:, None]  # BUG: True marks valid frames, key_padding_mask wants True on padding
        y = self.embed(ys_in) + self.pos[:, :T]
        for layer in self.layers:
            y = layer(y, enc, self_mask, enc_pad)
        return self.out(y)
