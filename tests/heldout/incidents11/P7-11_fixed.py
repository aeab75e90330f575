import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class LlamaConfig:
    vocab_size = 64
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask: Optional[torch.Tensor] = None, padding_mask: Optional[torch.LongTensor] = None):
        bsz, q_len, _ = hidden_states.size()
        query_states = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        attn_weights = torch.matmul(query_states, key_states.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        if padding_mask is not None:
            attn_weights = attn_weights.masked_fill(padding_mask[:, None, None, :] == 0, float("-inf"))
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query_states.dtype)
        attn_output = torch.matmul(attn_weights, value_states)
        return self.o_proj(attn_output.transpose(1, 2).reshape(bsz, q_len, -1))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = LlamaAttention(config)
        self.input_layernorm = nn.RMSNorm(config.hidden_size)
        self.post_attention_layernorm = nn.RMSNorm(config.hidden_size)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 64), nn.SiLU(), nn.Linear(64, config.hidden_size))

    def forward(self, hidden_states, attention_mask=None, padding_mask=None):
        hidden_states = hidden_states + self.self_attn(self.input_layernorm(hidden_states), attention_mask, padding_mask)
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class LlamaModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([LlamaDecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size)

    def forward(self, input_ids, attention_mask=None, is_causal=False):
        hidden_states = self.embed_tokens(input_ids)
        seq_len = input_ids.shape[1]
        causal = None
        if is_causal:
            causal = torch.full((seq_len, seq_len), torch.finfo(hidden_states.dtype).min).triu(1)[None, None]
        padding_mask = attention_mask if attention_mask is not None and (attention_mask == 0).any() else None
        for layer in self.layers:
            hidden_states = layer(hidden_states, causal, padding_mask)
        return self.norm(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = LlamaModel(LlamaConfig()).eval()
    seq = torch.tensor([[9, 33, 17, 4]])
    batch = torch.tensor([[9, 33, 17, 4, 0, 0], [5, 21, 8, 40, 12, 3]])
    mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1] * 6])
    with torch.no_grad():
        alone = encoder(seq, torch.ones_like(seq))[0]
        batched = encoder(batch, mask)[0, :4]
    print(f"bidirectional embedding of real tokens, padded batch vs alone: {(alone - batched).abs().max().item():.3e}")
