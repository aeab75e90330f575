"""Chat model attention with a padding mask for batched prompts."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PaddedCausalAttention(nn.Module):
    def __init__(self, hidden_size=64, num_attention_heads=4):
        super().__init__()
        self.h = num_attention_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size)
        self.k_proj = nn.Linear(hidden_size, hidden_size)
        self.v_proj = nn.Linear(hidden_size, hidden_size)
        self.o_proj = nn.Linear(hidden_size, hidden_size)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, dim = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.h, -1).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.h, -1).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.h, -1).transpose(1, 2)
        key_ok = attention_mask.bool()[:, None, None, :]
        attn = F.scaled_dot_product_attention(q, k, v, attn_mask=key_ok, dropout_p=0.0, is_causal=True)  # expect: ML403
        return self.o_proj(attn.transpose(1, 2).reshape(bsz, q_len, dim))
