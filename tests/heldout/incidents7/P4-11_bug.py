"""GPT-2 style LM imitating Hugging Face transformers' attention-function registry
(the flash-attention style path takes a padding mask and an `is_causal` flag); left-padded generation."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPT2Config:
    vocab_size: int = 80
    n_embd: int = 32
    n_head: int = 4
    n_layer: int = 2
    n_positions: int = 64
    attn_implementation: str = "flash_attention_2"


def flash_style_attention_forward(module, query, key, value, attention_mask, **kwargs):
    """attention_mask: (B, 1, 1, S) bool padding mask (True = real token) or None."""
    q_len, kv_len = query.shape[2], key.shape[2]
    is_causal = attention_mask is None and q_len > 1  # BUG
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, is_causal=is_causal)  # BUG
    return out.transpose(1, 2)


def sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs):
    return F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask).transpose(1, 2)


ATTENTION_FUNCTIONS = {"flash_attention_2": flash_style_attention_forward, "sdpa": sdpa_attention_forward}


class GPT2Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.n_head = config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, -1).transpose(1, 2) for t in (q, k, v))
        attn_fn = ATTENTION_FUNCTIONS[self.config.attn_implementation]
        y = attn_fn(self, q, k, v, attention_mask)
        return self.c_proj(y.reshape(B, T, C))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList([GPT2Attention(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd)

    def forward(self, input_ids, attention_mask=None):
        position_ids = torch.arange(input_ids.shape[1])[None]
        pad_mask = None
        if attention_mask is not None:
            position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
            pad_mask = attention_mask.bool()[:, None, None, :]
        x = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            x = x + block(x, pad_mask)
        return self.ln_f(x) @ self.wte.weight.t()


@torch.no_grad()
def generate(model, input_ids, attention_mask, max_new_tokens=3):
    for _ in range(max_new_tokens):
        nxt = model(input_ids, attention_mask)[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, nxt], -1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], -1)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config()).eval()
    prompts = [[11, 22, 33, 44, 55], [7, 8]]
    width = max(map(len, prompts))
    input_ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
    attention_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    print(generate(model, input_ids, attention_mask))
