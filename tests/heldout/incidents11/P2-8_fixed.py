import math

import torch
import torch.nn.functional as F
from torch import nn


class GemmaFixedRMSLayerNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return x * (1.0 + self.weight)


class GemmaAttention(nn.Module):
    def __init__(self, hidden_size, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        Q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        K = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        V = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        A = F.scaled_dot_product_attention(Q, K, V, attn_mask=attention_mask, is_causal=False)
        A = A.transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(A)


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length=0):
    bsz, q_len = input_shape
    key_len = q_len + past_key_values_length
    dtype = inputs_embeds.dtype
    causal = torch.tril(torch.ones(q_len, key_len, dtype=torch.bool), diagonal=past_key_values_length)
    if attention_mask is None:
        return None
    if attention_mask.dtype == torch.bool:
        keep = causal[None, None] & attention_mask[:, None, None, :]
        return keep | ~keep.any(-1, keepdim=True)
    if attention_mask.is_floating_point():
        keep = causal[None, None] & (attention_mask[:, None, None, :] != 0)
        keep = keep | ~keep.any(-1, keepdim=True)
        return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)
    return attention_mask[:, None, None, :] * causal[None, None].to(attention_mask.dtype)


class GemmaModel_fast(nn.Module):
    def __init__(self, vocab_size=64, hidden_size=32, num_heads=4, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.hidden_size = hidden_size
        self.layers = nn.ModuleList([GemmaAttention(hidden_size, num_heads) for _ in range(num_layers)])
        self.norms = nn.ModuleList([GemmaFixedRMSLayerNorm(hidden_size) for _ in range(num_layers)])
        self.norm = GemmaFixedRMSLayerNorm(hidden_size)

    def forward(self, input_ids, attention_mask=None):
        batch_size, seq_length = input_ids.shape
        inputs_embeds = self.embed_tokens(input_ids) * math.sqrt(self.hidden_size)
        if attention_mask is not None:
            attention_mask = attention_mask.to(inputs_embeds.dtype)
        attention_mask = _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, (batch_size, seq_length), inputs_embeds, 0)
        hidden_states = inputs_embeds
        for norm, layer in zip(self.norms, self.layers):
            hidden_states = hidden_states + layer(norm(hidden_states), attention_mask=attention_mask)
        return self.norm(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GemmaModel_fast().eval()
    prompt = torch.tensor([[9, 14, 3, 27]])
    padded = torch.tensor([[0, 0, 9, 14, 3, 27], [5, 6, 7, 8, 9, 10]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            alone = model(prompt, torch.ones_like(prompt))[0, -1]
            batched = model(padded, attention_mask)[0, -1]
        print(f"left-padded vs unpadded last hidden state: {(alone - batched).abs().max().item():.3e}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
