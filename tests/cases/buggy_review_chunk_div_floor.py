import torch
import torch.nn as nn
import torch.nn.functional as F


def chunk_block_mask(T, chunk, left):
    c = torch.div(torch.arange(T), chunk, rounding_mode="floor")
    return (c[None, :] > c[:, None]) | (c[None, :] < c[:, None] - left)   # True = blocked


def chunk_block_mask2(T, chunk, left):
    c = torch.arange(T).div(chunk, rounding_mode="floor")
    return (c.unsqueeze(0) > c.unsqueeze(1)) | (c.unsqueeze(0) < c.unsqueeze(1) - left)


def chunk_block_mask3(T, chunk, left):
    c = torch.arange(T) // chunk
    return (c[None, :] > c[:, None]) | (c[None, :] < c[:, None] - left)


class Layer(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)
        self.qkv = nn.Linear(d, 3 * d)

    def sdpa_div(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=chunk_block_mask(T, 4, 2))  # expect: ML102

    def sdpa_div2(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=chunk_block_mask2(T, 4, 2))  # expect: ML102

    def sdpa_floordiv(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=chunk_block_mask3(T, 4, 2))  # expect: ML102


class StreamEncoder(nn.Module):
    def __init__(self, d=64, h=4, chunk=4):
        super().__init__()
        self.chunk = chunk
        layer = nn.TransformerEncoderLayer(d, h, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)

    def forward(self, x):
        T = x.size(1)
        blk = torch.arange(T, device=x.device) // self.chunk
        mask = blk[None, :] > blk[:, None]  # True = a later chunk: block-causal
        return self.enc(x, mask=mask, is_causal=True)  # expect: ML402
