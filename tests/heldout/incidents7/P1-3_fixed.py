"""Llama-4-style text decoder imitating Hugging Face transformers: a config dataclass,
a registry of attention functions and a 4D additive causal mask builder."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Llama4TextConfig:
    vocab_size: int = 96
    hidden_size: int = 64
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    attn_implementation: str = "sdpa"


def sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=None):
    if attention_mask is not None and attention_mask.dtype != torch.bool:
        attention_mask = attention_mask.to(query.dtype)
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling)
    return out.transpose(1, 2).contiguous(), None


def eager_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=None):
    scores = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        scores = scores + attention_mask
    probs = F.dropout(scores.softmax(-1), p=dropout, training=module.training)
    return torch.matmul(probs, value).transpose(1, 2).contiguous(), probs


ALL_ATTENTION_FUNCTIONS = {"sdpa": sdpa_attention_forward, "eager": eager_attention_forward}


def prepare_4d_causal_attention_mask(attention_mask, seq_len, dtype):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype).triu(1)
    causal = causal[None, None].expand(attention_mask.shape[0], 1, -1, -1).clone()
    padding = attention_mask[:, None, None, :] == 0
    return causal.masked_fill(padding, min_dtype)


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attention_interface = ALL_ATTENTION_FUNCTIONS[self.config.attn_implementation]
        out, _ = attention_interface(self, q, k, v, attention_mask, scaling=self.scaling)
        return self.o_proj(out.reshape(bsz, q_len, -1))


class Llama4ForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Llama4TextAttention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        causal_mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.shape[1], h.dtype)
        for layer in self.layers:
            h = h + layer(h, causal_mask)
        return self.lm_head(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    config = Llama4TextConfig()
    model = Llama4ForCausalLM(config)
    input_ids = torch.randint(1, config.vocab_size, (2, 10))
    attention_mask = torch.ones(2, 10, dtype=torch.long)
    attention_mask[1, 7:] = 0
    logits = model(input_ids, attention_mask)
    labels = input_ids[:, 1:].masked_fill(attention_mask[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, config.vocab_size), labels.reshape(-1), ignore_index=-100)
    loss.backward()
    print("loss", loss.item())
