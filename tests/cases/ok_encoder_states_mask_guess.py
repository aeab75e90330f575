"""A diffusion transformer's `attention_mask` beside `encoder_hidden_states` is the model's own
mask over the text states (its pipelines pass a bool one, or none): its dtype is not the
tokenizer's int, however it is extended on the way to SDPA four calls down."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Processor:
    def __call__(self, attn, hidden_states, encoder_hidden_states, attention_mask=None):
        q = attn.to_q(hidden_states).unflatten(2, (attn.heads, -1)).transpose(1, 2)
        k = attn.to_k(encoder_hidden_states).unflatten(2, (attn.heads, -1)).transpose(1, 2)
        v = attn.to_v(encoder_hidden_states).unflatten(2, (attn.heads, -1)).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return out.transpose(1, 2).flatten(2)


class CrossAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q, self.to_k, self.to_v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.processor = Processor()

    def forward(self, hidden_states, encoder_hidden_states, attention_mask=None):
        return self.processor(self, hidden_states, encoder_hidden_states, attention_mask)


class Block(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn2 = CrossAttention(d)

    def forward(self, hidden_states, encoder_hidden_states, attention_mask=None):
        return hidden_states + self.attn2(hidden_states, encoder_hidden_states, attention_mask=attention_mask)


class VideoTransformer(nn.Module):
    def __init__(self, d=32, layers=2):
        super().__init__()
        self.blocks = nn.ModuleList(Block(d) for _ in range(layers))

    def forward(self, hidden_states, timestep, encoder_hidden_states, attention_mask=None):
        if attention_mask is not None:
            attention_mask = attention_mask.unsqueeze(1).unsqueeze(1)  # [B, 1, 1, S]
        for block in self.blocks:
            hidden_states = block(hidden_states, encoder_hidden_states, attention_mask)
        return hidden_states
