"""Text-to-dialogue decoder in the style of nari-labs/dia: grouped-query self-attention
with a static KV cache; each decode step passes a padding/causal mask to SDPA."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    vocab: int = 64
    d_model: int = 32
    n_q_heads: int = 4
    n_kv_heads: int = 2
    head_dim: int = 8
    max_len: int = 16


class KVCache:
    def __init__(self, batch, cfg):
        self.k = torch.zeros(batch, cfg.n_kv_heads, cfg.max_len, cfg.head_dim)
        self.v = torch.zeros(batch, cfg.n_kv_heads, cfg.max_len, cfg.head_dim)

    def update(self, k, v, pos):
        self.k[:, :, pos: pos + k.shape[2]] = k
        self.v[:, :, pos: pos + v.shape[2]] = v
        return self.k, self.v


class Attention(nn.Module):
    def __init__(self, cfg: DecoderConfig, is_causal=True):
        super().__init__()
        self.cfg, self.is_causal = cfg, is_causal
        self.q_proj = nn.Linear(cfg.d_model, cfg.n_q_heads * cfg.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.d_model, cfg.n_kv_heads * cfg.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.d_model, cfg.n_kv_heads * cfg.head_dim, bias=False)
        self.o_proj = nn.Linear(cfg.n_q_heads * cfg.head_dim, cfg.d_model, bias=False)

    def forward(self, x, attn_mask, cache, pos):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, -1, self.cfg.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, -1, self.cfg.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, -1, self.cfg.head_dim).transpose(1, 2)
        k, v = cache.update(k, v, pos)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, scale=1.0, is_causal=False, enable_gqa=True)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


class Decoder(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab, cfg.d_model)
        self.self_attn = Attention(cfg)
        self.norm = nn.RMSNorm(cfg.d_model)
        self.logits = nn.Linear(cfg.d_model, cfg.vocab)

    def step_mask(self, pos, T, pad_mask):
        q_pos = torch.arange(pos, pos + T)[:, None]
        k_pos = torch.arange(self.cfg.max_len)[None, :]
        causal = k_pos <= q_pos
        return (causal[None, None] & pad_mask[:, None, None, :])

    def forward(self, tokens, cache, pos, pad_mask):
        x = self.embed(tokens)
        mask = self.step_mask(pos, tokens.shape[1], pad_mask)
        return self.logits(self.norm(x + self.self_attn(x, mask, cache, pos)))


@torch.no_grad()
def generate(model, prompt, steps=4):
    B, P = prompt.shape
    cache = KVCache(B, model.cfg)
    pad_mask = torch.ones(B, model.cfg.max_len, dtype=torch.bool)
    logits = model(prompt, cache, 0, pad_mask)
    out = [logits[:, -1].argmax(-1)]
    for i in range(steps - 1):
        logits = model(out[-1][:, None], cache, P + i, pad_mask)
        out.append(logits[:, -1].argmax(-1))
    return torch.stack(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Decoder(DecoderConfig()).eval()
    print(generate(model, torch.randint(0, 64, (2, 5))))
