import math

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length):
    bsz, q_len = input_shape
    kv_len = q_len + past_key_values_length
    causal = torch.tril(
        torch.ones(q_len, kv_len, dtype=torch.bool, device=inputs_embeds.device),
        diagonal=past_key_values_length,
    )
    return attention_mask[:, None, None, :].bool() & causal[None, None]


class GemmaFastAttention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4, head_dim=16):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = head_dim
        self.q_proj = nn.Linear(hidden_size, num_heads * head_dim, bias=False)
        self.k_proj = nn.Linear(hidden_size, num_heads * head_dim, bias=False)
        self.v_proj = nn.Linear(hidden_size, num_heads * head_dim, bias=False)
        self.o_proj = nn.Linear(num_heads * head_dim, hidden_size, bias=False)

    def forward(self, hidden_states, causal_mask):
        bsz, q_len, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_mask, dropout_p=0.0)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


def GemmaModel_fast_forward(self, input_ids, attention_mask=None):
    inputs_embeds = self.embed_tokens(input_ids) * math.sqrt(self.hidden_size)
    bsz, q_len = input_ids.shape
    causal_mask = None
    if attention_mask is not None:
        causal_mask = _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, (bsz, q_len), inputs_embeds, 0)
    hidden_states = inputs_embeds
    for layer in self.layers:
        hidden_states = hidden_states + layer(hidden_states, causal_mask)
    return self.norm(hidden_states)


class GemmaModel(nn.Module):
    def __init__(self, vocab_size=128, hidden_size=64, num_layers=2):
        super().__init__()
        self.hidden_size = hidden_size
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([GemmaFastAttention(hidden_size) for _ in range(num_layers)])
        self.norm = nn.RMSNorm(hidden_size)

    forward = GemmaModel_fast_forward


if __name__ == "__main__":
    model = GemmaModel()
    input_ids = torch.randint(0, 128, (2, 7))
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    attention_mask[1, :3] = 0
    print(model(input_ids, attention_mask=attention_mask).shape)
