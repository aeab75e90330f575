import math

import torch
import torch.nn.functional as F
from torch import nn


class RotaryEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def forward(self, q, k):
        L = q.shape[1]
        freqs = torch.arange(L).float()[:, None] * self.inv_freq[None]
        cos, sin = freqs.cos()[None, :, None, :], freqs.sin()[None, :, None, :]

        def rot(x):
            x1, x2 = x[..., ::2], x[..., 1::2]
            return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1).flatten(-2)

        return rot(q), rot(k)


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.d_model = d_model
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, d_model * 3, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)
        self.q_ln = nn.LayerNorm(d_model, bias=False)
        self.k_ln = nn.LayerNorm(d_model, bias=False)
        self.rotary = RotaryEmbedding(d_model // n_heads)

    def forward(self, x, seq_id):
        qkv_BLD3 = self.layernorm_qkv(x)
        query_BLD, key_BLD, value_BLD = torch.chunk(qkv_BLD3, 3, dim=-1)
        query_BLD, key_BLD = self.q_ln(query_BLD), self.k_ln(key_BLD)
        B, L, _ = x.shape
        q = query_BLD.view(B, L, self.n_heads, self.d_head)
        k = key_BLD.view(B, L, self.n_heads, self.d_head)
        q, k = self.rotary(q, k)
        q, k = q.transpose(1, 2), k.transpose(1, 2)
        v = value_BLD.view(B, L, self.n_heads, self.d_head).transpose(1, 2)
        if seq_id is not None:
            mask_BLL = seq_id.unsqueeze(-1) & seq_id.unsqueeze(-2)
            mask_BHLL = mask_BLL.unsqueeze(1)
            context_BHLD = F.scaled_dot_product_attention(q, k, v, mask_BHLL)
        else:
            context_BHLD = F.scaled_dot_product_attention(q, k, v)
        context_BLD = context_BHLD.transpose(1, 2).reshape(B, L, -1)
        self.last_context = context_BLD
        return self.out_proj(context_BLD)


class UnifiedTransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, residue_scaling_factor=1.0):
        super().__init__()
        self.attn = MultiHeadAttention(d_model, n_heads)
        self.ffn = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))
        self.scaling_factor = residue_scaling_factor

    def forward(self, x, sequence_id):
        x = x + self.attn(x, sequence_id) / self.scaling_factor
        return x + self.ffn(x) / self.scaling_factor


class ESMC(nn.Module):
    def __init__(self, d_model=32, n_heads=4, n_layers=2, vocab=33, pad_token_id=1):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList(UnifiedTransformerBlock(d_model, n_heads, math.sqrt(n_layers / 36)) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model, bias=False)

    def forward(self, sequence_tokens):
        sequence_id = sequence_tokens != self.pad_token_id
        x = self.embed(sequence_tokens)
        for block in self.blocks:
            x = block(x, sequence_id)
        return self.norm(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ESMC().eval()
    tokens = torch.tensor([[0, 20, 15, 8, 11, 2, 1, 1, 1], [0, 5, 6, 7, 9, 10, 12, 13, 2]])
    with torch.no_grad():
        model(tokens)
    pad = tokens == model.pad_token_id
    worst = max(blk.attn.last_context[pad].abs().max().item() for blk in model.blocks)
    print(f"max |attention context| at pad positions: {worst:.3e}")
