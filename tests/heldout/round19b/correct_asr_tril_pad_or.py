"""Attention decoder for a hybrid CTC/attention recogniser."""
import torch
from torch import nn


def make_pad_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    seq = torch.arange(max_len, device=lengths.device)
    return seq[None, :] >= lengths[:, None]


def subsequent_mask(size: int, device=None) -> torch.Tensor:
    return (1 - torch.tril(torch.ones(size, size, device=device))).bool()


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, d_ff=256, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.src_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, tgt, memory, tgt_mask, memory_pad):
        x = self.norm1(tgt)
        tgt = tgt + self.dropout(self.self_attn(x, x, x, attn_mask=tgt_mask, need_weights=False)[0])
        x = self.norm2(tgt)
        tgt = tgt + self.dropout(self.src_attn(x, memory, memory, key_padding_mask=memory_pad, need_weights=False)[0])
        return tgt + self.dropout(self.ffn(self.norm3(tgt)))


class TransformerDecoderASR(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, num_blocks=2, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(1, 512, d_model))
        self.decoders = nn.ModuleList([DecoderLayer(d_model, nhead, dropout=dropout) for _ in range(num_blocks)])
        self.output_layer = nn.Linear(d_model, vocab)

    def forward(self, ys_in_pad, ys_in_lens, memory, memory_lens):
        T = ys_in_pad.size(1)
        tgt_mask = subsequent_mask(T, ys_in_pad.device).unsqueeze(0) | make_pad_mask(ys_in_lens, T).unsqueeze(1)
        tgt_mask = tgt_mask.repeat_interleave(self.nhead, dim=0)
        memory_pad = make_pad_mask(memory_lens, memory.size(1))
        x = self.embed(ys_in_pad) + self.pos[:, :T]
        for layer in self.decoders:
            x = layer(x, memory, tgt_mask, memory_pad)
        return self.output_layer(x)
