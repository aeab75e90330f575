from types import SimpleNamespace
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def _upad_input_keep_mask(attention_mask_2d: torch.Tensor, q_len: int, k_len: int) -> torch.Tensor:
    return attention_mask_2d[:, None, None, k_len - attention_mask_2d.shape[-1]:].bool().expand(-1, 1, q_len, -1)


def _flash_attention_forward(query_states, key_states, value_states, attention_mask: Optional[torch.Tensor], query_length: int,
                             is_causal: bool, dropout: float = 0.0, softmax_scale: Optional[float] = None):
    """Stand-in for the flash-attn varlen kernel: padded keys are dropped, `causal` is a kernel flag."""
    q_len, k_len = query_states.shape[2], key_states.shape[2]
    keep = None
    if attention_mask is not None:
        keep = _upad_input_keep_mask(attention_mask, q_len, k_len)
    if is_causal:
        causal = torch.ones(q_len, k_len, dtype=torch.bool).tril(k_len - q_len)
        keep = causal if keep is None else keep & causal
    if keep is not None:
        keep = keep | ~keep.any(-1, keepdim=True)
    return F.scaled_dot_product_attention(query_states, key_states, value_states, attn_mask=keep, dropout_p=dropout, scale=softmax_scale)


class GPT2Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_dim = config.hidden_size
        self.num_heads = config.num_attention_heads
        self.head_dim = self.embed_dim // self.num_heads
        self.c_attn = nn.Linear(self.embed_dim, 3 * self.embed_dim)
        self.c_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.is_causal = True

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        query_states, key_states, value_states = self.c_attn(hidden_states).split(self.embed_dim, dim=2)
        shape_q = (bsz, q_len, self.num_heads, self.head_dim)
        query_states = query_states.view(shape_q).transpose(1, 2)
        key_states = key_states.view(shape_q).transpose(1, 2)
        value_states = value_states.view(shape_q).transpose(1, 2)
        is_causal = attention_mask is None and query_states.shape[-2] > 1  # BUG
        attn_output = _flash_attention_forward(query_states, key_states, value_states, attention_mask, q_len, is_causal=is_causal)
        attn_output = attn_output.transpose(1, 2).reshape(bsz, q_len, self.embed_dim)
        return self.c_proj(attn_output)


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.hidden_size)
        self.attn = GPT2Attention(config)
        self.ln_2 = nn.LayerNorm(config.hidden_size)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 4 * config.hidden_size), nn.GELU(), nn.Linear(4 * config.hidden_size, config.hidden_size))

    def forward(self, hidden_states, attention_mask=None):
        hidden_states = hidden_states + self.attn(self.ln_1(hidden_states), attention_mask=attention_mask)
        return hidden_states + self.mlp(self.ln_2(hidden_states))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.hidden_size)
        self.wpe = nn.Embedding(config.n_positions, config.hidden_size)
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is not None and bool(attention_mask.all()):
            attention_mask = None
        if attention_mask is not None:
            position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        else:
            position_ids = torch.arange(input_ids.shape[1])[None]
        hidden_states = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden_states = block(hidden_states, attention_mask=attention_mask)
        return self.lm_head(self.ln_f(hidden_states))


if __name__ == "__main__":
    torch.manual_seed(0)
    config = SimpleNamespace(vocab_size=70, hidden_size=32, num_attention_heads=4, n_layer=2, n_positions=32, _attn_implementation="flash_attention_2")
    model = GPT2LMHeadModel(config).eval()
    input_ids = torch.tensor([[0, 0, 12, 5, 33, 8], [4, 19, 7, 22, 41, 3]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    changed = input_ids.clone()
    changed[:, -1] = (changed[:, -1] + 1) % 70
    with torch.no_grad():
        a = model(input_ids, attention_mask)
        b = model(changed, attention_mask)
    real = attention_mask[:, :-1].bool()
    print(f"prefix logit change when last token changes (padded batch): {(a[:, :-1][real] - b[:, :-1][real]).abs().max().item():.3e}")
