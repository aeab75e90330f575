from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    n_embd: int = 32
    n_head: int = 4
    gqa_query_heads: int = 4
    kv_heads: int = 2
    head_dim: int = 8
    n_layer: int = 2
    vocab_size: int = 64


class KVCache:
    def __init__(self, num_heads, max_len, head_dim, batch_size):
        self.k = torch.zeros(batch_size, num_heads, max_len, head_dim)
        self.v = torch.zeros(batch_size, num_heads, max_len, head_dim)
        self.current_idx = 0

    def update(self, k, v):
        n = k.shape[2]
        self.k[:, :, self.current_idx:self.current_idx + n] = k
        self.v[:, :, self.current_idx:self.current_idx + n] = v
        self.current_idx += n
        return self.k[:, :, : self.current_idx], self.v[:, :, : self.current_idx]


class Attention(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.num_query_heads = cfg.gqa_query_heads
        self.num_kv_heads = cfg.kv_heads
        self.head_dim = cfg.head_dim
        self.num_gqa_groups = self.num_query_heads // self.num_kv_heads
        self.q_proj = nn.Linear(cfg.n_embd, self.num_query_heads * cfg.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.n_embd, self.num_kv_heads * cfg.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.n_embd, self.num_kv_heads * cfg.head_dim, bias=False)
        self.o_proj = nn.Linear(self.num_query_heads * cfg.head_dim, cfg.n_embd, bias=False)

    def forward(self, Xq, attn_mask=None, cache=None, is_causal=False):
        B, T, _ = Xq.shape
        q = self.q_proj(Xq).view(B, T, self.num_query_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(Xq).view(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(Xq).view(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        if cache is not None:
            k, v = cache.update(k, v)
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            scale=self.head_dim ** -0.5,
            enable_gqa=self.num_gqa_groups > 1,
            is_causal=is_causal and attn_mask is None,
        )
        return self.o_proj(attn_output.transpose(1, 2).reshape(B, T, -1))


class Decoder(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.layers = nn.ModuleList(Attention(cfg) for _ in range(cfg.n_layer))
        self.norms = nn.ModuleList(nn.LayerNorm(cfg.n_embd) for _ in range(cfg.n_layer))
        self.logits_dense = nn.Linear(cfg.n_embd, cfg.vocab_size)

    def forward(self, tokens, attn_mask, caches=None):
        x = self.embedding(tokens)
        for i, (norm, layer) in enumerate(zip(self.norms, self.layers)):
            x = x + layer(norm(x), attn_mask=attn_mask, cache=None if caches is None else caches[i], is_causal=True)
        return self.logits_dense(x)


def causal_step_mask(batch_size, q_start, q_len, k_len, valid):
    q = torch.arange(q_start, q_start + q_len)[:, None]
    k = torch.arange(k_len)[None, :]
    return ((k <= q)[None, None] & valid[:, None, None, :k_len])


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = DecoderConfig()
    model = Decoder(cfg).eval()
    tokens = torch.randint(0, cfg.vocab_size, (2, 6))
    valid = torch.ones(2, 6, dtype=torch.bool)
    with torch.no_grad():
        full = model(tokens, causal_step_mask(2, 0, 6, 6, valid))
        caches = [KVCache(cfg.kv_heads, 6, cfg.head_dim, 2) for _ in range(cfg.n_layer)]
        model(tokens[:, :5], causal_step_mask(2, 0, 5, 5, valid), caches)
        step = model(tokens[:, 5:], causal_step_mask(2, 5, 1, 6, valid), caches)
    print(f"cached decode step vs full forward (last position): {(full[:, -1] - step[:, 0]).abs().max().item():.3e}")
