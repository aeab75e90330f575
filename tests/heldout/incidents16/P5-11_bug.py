"""Protein language model trunk: multiple chains packed in one row, separated by sequence_id."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.d_head = d_model // n_heads
        self.n_heads = n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, d_model * 3, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, seq_id):
        b, l, d = x.shape
        q, k, v = self.layernorm_qkv(x).view(b, l, 3, self.n_heads, self.d_head).permute(2, 0, 3, 1, 4)
        if seq_id is not None:
            # Where True, enable participation in attention.
            mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG: padding (seq_id == -1) matches padding, so pad positions attend to each other; also require seq_id != -1
            mask_BHLL = mask_BLL.unsqueeze(1)
            context = F.scaled_dot_product_attention(q, k, v, mask_BHLL)
        else:
            context = F.scaled_dot_product_attention(q, k, v)
        return self.out_proj(context.transpose(1, 2).reshape(b, l, d))


class UnifiedTransformerBlock(nn.Module):
    def __init__(self, d_model: int, n_heads: int, residue_scaling_factor: float = 1.0):
        super().__init__()
        self.attn = MultiHeadAttention(d_model, n_heads)
        self.ffn = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.scaling_factor = residue_scaling_factor

    def forward(self, x, sequence_id):
        x = x + self.attn(x, sequence_id) / self.scaling_factor
        return x + self.ffn(x) / self.scaling_factor


class TransformerStack(nn.Module):
    def __init__(self, vocab_size=33, d_model=32, n_heads=4, n_layers=2, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList([UnifiedTransformerBlock(d_model, n_heads, math.sqrt(n_layers / 36)) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(d_model, bias=False)

    def forward(self, tokens, sequence_id):
        """tokens: (B, L); sequence_id: (B, L) chain index, -1 on padding. Returns per-residue embeddings."""
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, sequence_id)
        return self.norm(x)
