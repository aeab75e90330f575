"""Caption decoder: causal self-attention over words, cross-attention over region features.

Both attention calls use PyTorch SDPA (True / 0.0 = attend).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def split_heads(x, h):
    b, n, d = x.shape
    return x.view(b, n, h, d // h).transpose(1, 2)


def merge_heads(x):
    b, h, n, d = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d)


class CaptionDecoderLayer(nn.Module):
    def __init__(self, d=512, h=8, p=0.1):
        super().__init__()
        self.h, self.p = h, p
        self.sa_qkv = nn.Linear(d, 3 * d)
        self.sa_out = nn.Linear(d, d)
        self.ca_q = nn.Linear(d, d)
        self.ca_kv = nn.Linear(d, 2 * d)
        self.ca_out = nn.Linear(d, d)
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))

    def forward(self, words, word_pad, regions, region_valid):
        # word_pad: (B, T) bool, True = padding; region_valid: (B, R) bool, True = real box
        B, T, _ = words.shape
        drop = self.p if self.training else 0.0

        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=words.device), 1)
        self_block = torch.logical_or(future[None, None], word_pad[:, None, None, :])
        q, k, v = (split_heads(t, self.h) for t in self.sa_qkv(self.ln1(words)).chunk(3, -1))
        a = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=self_block,  # expect: ML102
            dropout_p=drop)
        words = words + self.sa_out(merge_heads(a))

        word_valid = (~word_pad).float()
        cross_keep = torch.minimum(word_valid[:, :, None], region_valid[:, None, :].float())
        q = split_heads(self.ca_q(self.ln2(words)), self.h)
        k, v = (split_heads(t, self.h) for t in self.ca_kv(regions).chunk(2, -1))
        c = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=cross_keep[:, None],  # expect: ML202
            dropout_p=drop)
        words = words + self.ca_out(merge_heads(c))
        return words + self.ffn(self.ln3(words))
