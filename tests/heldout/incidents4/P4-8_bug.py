import torch
import torch.nn as nn
import torch.nn.functional as F

sdpa = F.scaled_dot_product_attention


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rope(x, positions, base=10000.0):
    d = x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, device=x.device).float() / d))
    freqs = torch.einsum("bt,f->btf", positions.float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)[:, None]
    return x * emb.cos() + rotate_half(x) * emb.sin()


def attend(q, k, v, attn_mask, is_causal):
    return sdpa(q, k, v, attn_mask=attn_mask, scale=1.0, is_causal=is_causal)  # BUG


class DecoderSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, positions, key_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q = apply_rope(q, positions) * self.head_dim ** -0.5
        k = apply_rope(k, positions)
        attn_mask = key_mask[:, None, None, :]  # BUG
        out = attend(q, k, v, attn_mask=attn_mask, is_causal=True)  # BUG
        return self.o(out.transpose(1, 2).reshape(b, t, d))


class AudioTokenDecoder(nn.Module):
    def __init__(self, n_codes=1028, dim=128, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(n_codes, dim)
        self.layers = nn.ModuleList([DecoderSelfAttention(dim, heads) for _ in range(depth)])
        self.norm = nn.RMSNorm(dim)
        self.head = nn.Linear(dim, n_codes)

    def forward(self, codes, code_mask):
        positions = torch.arange(codes.size(1), device=codes.device)[None].expand(codes.size(0), -1)
        x = self.embed(codes)
        for layer in self.layers:
            x = x + layer(self.norm(x), positions, code_mask.bool())
        return self.head(self.norm(x))
