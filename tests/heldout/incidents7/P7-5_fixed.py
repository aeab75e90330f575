"""Gemma-style sliding-window decoder run in float16 for batched, left-padded generation;
attention implementations live in a registry and the mask builder mimics HF `sdpa_mask`."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GemmaConfig:
    vocab_size: int = 96
    hidden_size: int = 32
    num_heads: int = 4
    num_layers: int = 2
    sliding_window: int = 3
    attn_implementation: str = "eager"


def sliding_window_causal_mask(attention_mask, q_len, window):
    """(B, 1, Q, K) bool, True = attend."""
    kv_len = attention_mask.shape[-1]
    q_idx = torch.arange(kv_len - q_len, kv_len)[:, None]
    kv_idx = torch.arange(kv_len)[None, :]
    allowed = (kv_idx <= q_idx) & (q_idx - kv_idx < window)
    return allowed[None, None] & attention_mask.bool()[:, None, None, :]


def eager_attention_forward(q, k, v, mask):
    scores = (q @ k.transpose(-1, -2)) * q.shape[-1] ** -0.5
    scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(-1) @ v


def sdpa_attention_forward(q, k, v, mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


ATTN = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class GemmaAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size, bias=False)
        self.o_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)

    def forward(self, x, mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.cfg.num_heads, -1).permute(2, 0, 3, 1, 4)
        mask = mask | ~mask.any(dim=-1, keepdim=True)
        out = ATTN[self.cfg.attn_implementation](q, k, v, mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, d))


class GemmaForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([GemmaAttention(cfg) for _ in range(cfg.num_layers)])
        self.norm = nn.RMSNorm(cfg.hidden_size)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        mask = sliding_window_causal_mask(attention_mask, input_ids.shape[1], self.cfg.sliding_window)
        for layer in self.layers:
            h = h + layer(h, mask)
        return self.norm(h) @ self.embed.weight.t()


@torch.no_grad()
def batched_generate(model, prompts, steps=3):
    width = max(map(len, prompts))
    ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
    am = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    for _ in range(steps):
        logits = model(ids, am)
        nxt = logits[:, -1].float().argmax(-1, keepdim=True)
        ids, am = torch.cat([ids, nxt], 1), torch.cat([am, torch.ones_like(nxt)], 1)
    return ids, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GemmaForCausalLM(GemmaConfig()).half().eval()
    ids, logits = batched_generate(model, [[5, 6, 7, 8, 9, 10], [40, 41]])
    print(ids, "nan logits:", torch.isnan(logits).any().item())
