"""Decoder LM with a mask converter that merges the causal and padding masks into one additive 4-D mask."""
from typing import Optional

import torch
import torch.nn as nn


class AttentionMaskConverter:
    def __init__(self, is_causal: bool = True):
        self.is_causal = is_causal

    @staticmethod
    def _make_causal_mask(bsz, tgt_len, dtype, device):
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
        cond = torch.arange(tgt_len, device=device)
        mask.masked_fill_(cond < (cond + 1).view(tgt_len, 1), 0)
        return mask.to(dtype)[None, None].expand(bsz, 1, tgt_len, tgt_len)

    @staticmethod
    def _expand_mask(mask, dtype, tgt_len: Optional[int] = None):
        bsz, src_len = mask.size()
        tgt_len = tgt_len if tgt_len is not None else src_len
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype):
        bsz = attention_mask_2d.shape[0]
        causal_4d_mask = None
        if self.is_causal and query_length > 1:
            causal_4d_mask = self._make_causal_mask(bsz, query_length, dtype, attention_mask_2d.device)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=query_length)
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask.masked_fill(expanded_attn_mask.bool(), torch.finfo(dtype).min)
        return expanded_attn_mask


class DecoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, mask4d):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        w = (q @ k.transpose(-1, -2)) * (D // self.heads) ** -0.5 + mask4d
        w = torch.softmax(w, dim=-1)
        return x + self.o((w @ v).transpose(1, 2).reshape(B, T, D))


class DecoderLM(nn.Module):
    def __init__(self, vocab=70, dim=32, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([DecoderLayer(dim, heads) for _ in range(layers)])
        self.lm_head = nn.Linear(dim, vocab)
        self.mask_converter = AttentionMaskConverter(is_causal=True)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        mask4d = self.mask_converter.to_4d(attention_mask, input_ids.shape[1], h.dtype)
        for layer in self.layers:
            h = layer(h, mask4d)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DecoderLM()
    ids = torch.randint(0, 70, (2, 6))
    am = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    out = model(ids, am)
    print(out.shape, torch.isnan(out).any().item())
