"""Qwen-style decoder attention with switchable implementation (eager / sdpa)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelArgs:
    hidden_size: int = 64
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    attn_implementation: str = "eager"
    attention_dropout: float = 0.0


def create_causal_mask(args: ModelArgs, attention_mask, q_len):
    """Boolean (B, 1, q, kv) mask, True = may attend (shared by all backends)."""
    kv_len = attention_mask.shape[-1]
    causal = torch.arange(kv_len)[None, :] <= torch.arange(kv_len - q_len, kv_len)[:, None]
    return causal[None, None] & attention_mask[:, None, None, :].bool()


def repeat_kv(x, n_rep):
    return x if n_rep == 1 else x.repeat_interleave(n_rep, dim=1)


def eager_attention_forward(module, q, k, v, attention_mask, scaling, dropout=0.0):
    k = repeat_kv(k, module.num_key_value_groups)
    v = repeat_kv(v, module.num_key_value_groups)
    attn_weights = torch.matmul(q, k.transpose(2, 3)) * scaling
    if attention_mask is not None:
        attn_weights = attn_weights + attention_mask  # BUG
    attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
    attn_weights = F.dropout(attn_weights, p=dropout, training=module.training)
    return torch.matmul(attn_weights, v)


def sdpa_attention_forward(module, q, k, v, attention_mask, scaling, dropout=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, scale=scaling,
                                          dropout_p=dropout if module.training else 0.0,
                                          enable_gqa=True)


ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Qwen3Attention(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.args = args
        self.head_dim = args.hidden_size // args.num_attention_heads
        self.num_key_value_groups = args.num_attention_heads // args.num_key_value_heads
        self.q_proj = nn.Linear(args.hidden_size, args.num_attention_heads * self.head_dim)
        self.k_proj = nn.Linear(args.hidden_size, args.num_key_value_heads * self.head_dim)
        self.v_proj = nn.Linear(args.hidden_size, args.num_key_value_heads * self.head_dim)
        self.o_proj = nn.Linear(args.num_attention_heads * self.head_dim, args.hidden_size)
        self.q_norm = nn.RMSNorm(self.head_dim)
        self.k_norm = nn.RMSNorm(self.head_dim)

    def forward(self, hidden_states, attention_mask):
        b, t, _ = hidden_states.shape
        q = self.q_norm(self.q_proj(hidden_states).view(b, t, -1, self.head_dim)).transpose(1, 2)
        k = self.k_norm(self.k_proj(hidden_states).view(b, t, -1, self.head_dim)).transpose(1, 2)
        v = self.v_proj(hidden_states).view(b, t, -1, self.head_dim).transpose(1, 2)
        mask = create_causal_mask(self.args, attention_mask, t)  # BUG
        fn = ATTENTION_FUNCTIONS[self.args.attn_implementation]
        out = fn(self, q, k, v, mask, self.head_dim ** -0.5, self.args.attention_dropout)  # BUG
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    eager = Qwen3Attention(ModelArgs()).eval()
    sdpa = Qwen3Attention(ModelArgs(attn_implementation="sdpa")).eval()
    sdpa.load_state_dict(eager.state_dict())
    x = torch.randn(2, 6, 64)
    am = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    with torch.no_grad():
        a, b = eager(x, am), sdpa(x, am)
    print("eager == sdpa:", torch.allclose(a[0], b[0], atol=1e-5), torch.allclose(a[1, 2:], b[1, 2:], atol=1e-5))
