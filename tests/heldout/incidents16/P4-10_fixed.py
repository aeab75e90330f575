"""MoE-style decoder with an eager attention path; greedy generation helper."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_attention_mask(attention_mask, input_shape, dtype):
    """2-D padding mask (1 = token) -> additive (b, 1, q, kv) causal + padding mask."""
    bsz, seq_len = input_shape
    min_value = torch.finfo(dtype).min
    causal = torch.triu(torch.full((seq_len, seq_len), min_value, dtype=dtype), diagonal=1)
    padding = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_value
    return (causal[None, None] + padding).clamp(min=min_value)


class HunYuanAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        b, t, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(b, t, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / self.head_dim ** 0.5
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(attn_weights, v).transpose(1, 2).reshape(b, t, -1)
        return self.o_proj(out)


class HunYuanModel(nn.Module):
    def __init__(self, vocab_size=64, hidden_size=32, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(hidden_size) for _ in range(num_layers)])
        self.norm = nn.LayerNorm(hidden_size)
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embed_tokens(input_ids)
        if attention_mask is not None:
            causal_mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, hidden_states.dtype)
        else:
            causal_mask = prepare_4d_causal_attention_mask(torch.ones_like(input_ids), input_ids.shape, hidden_states.dtype)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, causal_mask)
        return self.lm_head(self.norm(hidden_states))


@torch.no_grad()
def generate(model, input_ids, max_new_tokens=4):
    """Greedy decoding without a KV cache; callers usually pass only input_ids."""
    for _ in range(max_new_tokens):
        logits = model(input_ids)
        next_token = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_token], dim=-1)
    return input_ids
