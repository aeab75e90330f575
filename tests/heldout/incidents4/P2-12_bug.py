import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention


def padding_score_mod(key_keep):
    def score_mod(score, b, h, q_idx, kv_idx):
        return score + key_keep[b, kv_idx]  # BUG
    return score_mod


def split_heads(x, heads):
    b, n, d = x.shape
    return x.view(b, n, heads, d // heads).permute(0, 2, 1, 3)


def merge_heads(x):
    b, h, n, d = x.shape
    return x.permute(0, 2, 1, 3).reshape(b, n, h * d)


def attention_block(params, x, key_keep, heads):
    q, k, v = torch.einsum("bnd,tde->tbne", x, params["w_qkv"]).unbind(0)
    q, k, v = (split_heads(t, heads) for t in (q, k, v))
    out = flex_attention(q, k, v, score_mod=padding_score_mod(key_keep))  # BUG
    return torch.einsum("bnd,de->bne", merge_heads(out), params["w_o"])


class SparseCausalLM(nn.Module):
    def __init__(self, vocab, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ParameterList()
        for _ in range(depth):
            self.blocks.append(nn.Parameter(torch.randn(3, dim, dim) * dim ** -0.5))
            self.blocks.append(nn.Parameter(torch.randn(dim, dim) * dim ** -0.5))
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        key_keep = attention_mask.to(torch.float32)
        x = self.emb(input_ids)
        for i in range(0, len(self.blocks), 2):
            params = {"w_qkv": self.blocks[i], "w_o": self.blocks[i + 1]}
            x = x + attention_block(params, self.norm(x), key_keep, self.heads)
        return self.out(self.norm(x))
