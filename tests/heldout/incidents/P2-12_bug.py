import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention


def flex_attention_forward(module, query, key, value, attention_mask, attention_bias, scaling):
    # attention_mask: (B, 1, q_len, kv_len), 1.0 = attend, 0.0 = masked (causal + padding)
    attn_mask = attention_mask[:, :, :, : key.shape[-2]]
    attn_bias = attention_bias[:, :, :, : key.shape[-2]]

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = score + attn_mask[batch_idx][0][q_idx][kv_idx]  # BUG: 1/0 keep-mask added to the score
        score = score + attn_bias[batch_idx][head_idx][q_idx][kv_idx]
        return score

    attn_output = flex_attention(query, key, value, score_mod=score_mod, scale=scaling)  # BUG: masked positions still attended
    return attn_output.transpose(1, 2).contiguous()


class DogeAttention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.dt_proj = nn.Linear(hidden_size, num_heads, bias=False)
        self.A = nn.Parameter(torch.zeros(num_heads))
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def prepare_dynamic_mask(self, hidden_states, value_states):
        dt_states = self.dt_proj(value_states.transpose(1, 2).reshape(value_states.shape[0], -1, self.num_heads * self.head_dim))
        dt_states = torch.exp(self.A * nn.functional.softplus(dt_states)).transpose(-1, -2)
        return dt_states[:, :, None, :].expand(-1, -1, hidden_states.shape[1], -1)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attn_bias = self.prepare_dynamic_mask(hidden_states, v)
        out = flex_attention_forward(self, q, k, v, attention_mask, attn_bias, self.scaling)
        return self.o_proj(out.reshape(bsz, q_len, -1))


def run():
    attn = DogeAttention()
    hidden_states = torch.randn(2, 5, 8)
    padding = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.float32)
    causal = torch.tril(torch.ones(5, 5))
    attention_mask = causal[None, None] * padding[:, None, None, :]
    with torch.no_grad():
        return attn(hidden_states, attention_mask)
