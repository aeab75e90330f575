"""Attention layers that take the model's attention mask and run with only a causal flag, given
batches padded on the left for generation: the mask never reaches the kernel, and each prompt
attends to the pads before it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaStyleSdpaAttention(nn.Module):
    def __init__(self, hidden=64, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q_proj = nn.Linear(hidden, hidden)
        self.k_proj = nn.Linear(hidden, hidden)
        self.v_proj = nn.Linear(hidden, hidden)
        self.o_proj = nn.Linear(hidden, hidden)

    def forward(self, hidden_states, attention_mask=None, position_ids=None):
        bsz, q_len, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


def fused_attention(q, k, v, causal):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)


class PatchedBlock(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, padding_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        return fused_attention(q, k, v, causal=True).transpose(1, 2).reshape(b, t, d)


def generate_batch():
    hidden = torch.randn(2, 4, 64)
    attention_mask = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    return LlamaStyleSdpaAttention()(hidden, attention_mask=attention_mask)  # expect: ML504


def left_pad(prompts, width):
    keep = torch.zeros(len(prompts), width, dtype=torch.bool)
    for i, p in enumerate(prompts):
        keep[i, -len(p):] = True
    return keep


def score_prompts(prompts):
    keep = left_pad(prompts, 6)
    return PatchedBlock()(torch.randn(len(prompts), 6, 32), padding_mask=keep)  # expect: ML504
