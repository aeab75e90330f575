"""A processor that gets its attention module as a typed parameter and lets it prepare the mask
(diffusers style): the mask comes in (N, 1, S) and is made (N, H, 1, S) (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q, self.to_k, self.to_v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)

    def prepare_attention_mask(self, attention_mask, target_length, batch_size, out_dim=3):
        if attention_mask is None:
            return attention_mask
        if out_dim == 3:
            if attention_mask.shape[0] < batch_size * self.heads:
                attention_mask = attention_mask.repeat_interleave(self.heads, dim=0)
        elif out_dim == 4:
            attention_mask = attention_mask.unsqueeze(1)
            attention_mask = attention_mask.repeat_interleave(self.heads, dim=1)
        return attention_mask

    def forward(self, hidden_states, attention_mask=None):
        return hidden_states


class AttnProcessor:
    def __call__(self, attn: Attention, hidden_states, attention_mask=None):
        batch_size, sequence_length, dim = hidden_states.shape
        attention_mask = attn.prepare_attention_mask(attention_mask, sequence_length, batch_size, out_dim=4)
        split = lambda t: t.view(batch_size, -1, attn.heads, dim // attn.heads).transpose(1, 2)
        q, k, v = split(attn.to_q(hidden_states)), split(attn.to_k(hidden_states)), split(attn.to_v(hidden_states))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return out.transpose(1, 2).reshape(batch_size, -1, dim)
