import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


def flex_attention_forward(module, query, key, value, attention_mask, attention_bias, scaling=None, **kwargs):
    attn_mask = attention_mask[:, :, :, : key.shape[-2]]
    attn_bias = attention_bias[:, :, :, : key.shape[-2]]

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = torch.where(attn_mask[batch_idx][head_idx][q_idx][kv_idx], score, float("-inf"))  # BUG
        score = score + attn_bias[batch_idx][head_idx][q_idx][kv_idx]
        return score

    attn_output = flex_attention(query, key, value, score_mod=score_mod, scale=scaling)
    return attn_output.transpose(1, 2).contiguous(), None


class DogeAttention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2, keep_window_size=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.keep_window_size = keep_window_size
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.dt_proj = nn.Linear(hidden_size, num_heads, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def prepare_dynamic_mask(self, hidden_states, dt_states, causal_mask):
        attn_bias = dt_states[:, :, None, :].expand(-1, -1, hidden_states.shape[1], -1)
        attn_bias = attn_bias.masked_fill(~causal_mask, torch.finfo(hidden_states.dtype).min)
        topk = attn_bias.topk(min(self.keep_window_size, attn_bias.shape[-1]), dim=-1).indices
        keep = torch.zeros_like(attn_bias, dtype=torch.bool).scatter(-1, topk, True) & causal_mask
        return keep, attn_bias.masked_fill(~keep, 0.0)

    def forward(self, hidden_states, causal_mask):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        dt_states = torch.exp(self.dt_proj(hidden_states).clamp(max=2.0)).transpose(1, 2)
        attn_mask, attn_bias = self.prepare_dynamic_mask(hidden_states, dt_states, causal_mask)
        out, _ = flex_attention_forward(self, q, k, v, attn_mask, attn_bias, scaling=self.head_dim ** -0.5)
        return self.o_proj(out.reshape(bsz, q_len, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = DogeAttention()
    x = torch.randn(1, 6, 16)
    causal_mask = torch.ones(6, 6, dtype=torch.bool).tril()[None, None]
    with torch.no_grad():
        out = attn(x, causal_mask)
        x2 = x.clone()
        x2[:, 3:] = torch.randn(1, 3, 16)
        out2 = attn(x2, causal_mask)
    print(f"future-token leak into positions 0-2: {(out[:, :3] - out2[:, :3]).abs().max().item():.4f}")
