"""A Hugging Face-style layer whose attention function comes from a table of the project keyed
by the configured implementation; the additive mask it builds is 0/1 (masks nothing)."""
import torch
import torch.nn as nn

from .kernels import eager_attention_forward, sdpa_attention_forward

ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.scaling = self.head_dim ** -0.5
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)

    def forward(self, hidden_states, padding_mask):
        b, t, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        # 1.0 where the key is padding: meant as "blocked", but a float mask is added to the scores
        additive = (padding_mask == 0).float()[:, None, None, :]
        attention_interface = ATTENTION_FUNCTIONS[self.config.attn_implementation]
        out = attention_interface(self, q, k, v, additive, self.scaling)  # expect: ML202
        return out.transpose(1, 2).reshape(b, t, -1)
